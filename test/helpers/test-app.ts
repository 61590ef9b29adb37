import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createApp } from '../../src/boot.js';
import { loadEnv, type Env } from '../../src/config/env.schema.js';
import { PrismaService } from '../../src/prisma/prisma.service.js';

export interface Credentials {
  token?: string;
  apiKey?: string;
}

export interface GqlResult<T = Record<string, any>> {
  status: number;
  data: T | null | undefined;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown } }[];
}

export interface TestApp {
  app: NestFastifyApplication;
  prisma: PrismaService;
  http: () => ReturnType<typeof request>;
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, as?: Credentials): Promise<GqlResult<T>>;
  close(): Promise<void>;
}

export function authHeader(as?: Credentials): Record<string, string> {
  if (as?.token) return { authorization: `Bearer ${as.token}` };
  if (as?.apiKey) return { authorization: `ApiKey ${as.apiKey}` };
  return {};
}

/** Boots the real application (Fastify, GraphQL, PostgreSQL, Redis) for a test file. */
export async function startTestApp(overrides: Partial<Record<keyof Env, string>> = {}): Promise<TestApp> {
  return testAppOf(await createApp(loadEnv({ ...process.env, ...overrides })));
}

/** Starts an application a test built itself (an extra module, say) and gives it the TestApp helpers. */
export async function testAppOf(app: NestFastifyApplication): Promise<TestApp> {
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const http = () => request(app.getHttpServer());
  return {
    app,
    prisma: app.get(PrismaService),
    http,
    async gql(query, variables, as) {
      const res = await http().post('/graphql').set('content-type', 'application/json').set(authHeader(as)).send({ query, variables });
      return { status: res.status, data: res.body.data, errors: res.body.errors };
    },
    close: () => app.close(),
  };
}

/** The code of the first GraphQL error, for terse assertions. */
export const errorCode = (r: GqlResult): string | undefined => r.errors?.[0]?.extensions?.code;
