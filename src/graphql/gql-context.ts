import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../common/auth/principal.js';
import { RequestLoaders } from './request-loaders.js';

export type AppRequest = FastifyRequest & { user?: Principal };

export interface GqlContext {
  req: AppRequest;
  reply: FastifyReply;
  loaders: RequestLoaders;
}

export function createGqlContext(req: AppRequest, reply: FastifyReply): GqlContext {
  return { req, reply, loaders: new RequestLoaders() };
}
