import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { RATE_LIMIT_CLASS, type RateLimitClass } from './rate-limit-classes.js';
import { RateLimitGuard } from './rate-limit.guard.js';

/**
 * Counts every call of this resolver or controller method (or of every method of a class)
 * against the Redis rate limits of `cls`, per caller and per IP (RATE_LIMIT_<CLASS>[_PER_IP]).
 */
export const RateLimited = (cls: RateLimitClass) => applyDecorators(SetMetadata(RATE_LIMIT_CLASS, cls), UseGuards(RateLimitGuard));
