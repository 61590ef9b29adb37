import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { requestOf } from '../common/auth/decorators.js';
import type { ClientMeta } from '../common/auth/sessions.service.js';

/** The caller's IP address (X-Forwarded-For honoured: the app trusts its proxy) and user agent. */
export const CurrentClient = createParamDecorator((_: unknown, ctx: ExecutionContext): Required<ClientMeta> => {
  const req = requestOf(ctx);
  const ua = req.headers['user-agent'];
  return { ip: req.ip ?? 'unknown', userAgent: typeof ua === 'string' ? ua.slice(0, 300) : '' };
});
