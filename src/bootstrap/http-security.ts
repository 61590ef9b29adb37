import { createHash } from 'node:crypto';
import fastifyCors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '../config/app-config.js';
import { GRAPHQL_PATH } from '../graphql/graphql.module.js';
import { ideHtml } from '../graphql/ide/ide-assets.js';

/**
 * Security headers (helmet) on every answer, and CORS for the configured origins only. The
 * Content-Security-Policy admits scripts from this server and, by hash, the one inline script
 * of the offline GraphQL IDE; GraphiQL and Bull Board set inline styles, so styles may be inline.
 */
export async function registerHttpSecurity(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'base-uri': ["'self'"],
        'script-src': ["'self'", ...inlineScriptHashes(ideHtml(GRAPHQL_PATH))],
        'script-src-attr': ["'none'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'worker-src': ["'self'", 'blob:'],
        'object-src': ["'none'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
  });
  const origins = corsOrigins(config.get('CORS_ORIGINS'));
  await app.register(fastifyCors, {
    origin: origins.length ? origins : false,
    methods: ['GET', 'HEAD', 'POST', 'OPTIONS'],
    allowedHeaders: ['authorization', 'content-type', 'apollo-require-preflight', 'x-apollo-operation-name'],
    exposedHeaders: ['retry-after', 'content-disposition'],
    maxAge: 600,
  });
}

/** CORS_ORIGINS as a list (empty: no cross-origin access). */
export function corsOrigins(value: string): string[] {
  return value.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean);
}

/** CSP sources ('sha256-…') of the inline <script> blocks of a page. */
export function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]).digest('base64')}'`);
}
