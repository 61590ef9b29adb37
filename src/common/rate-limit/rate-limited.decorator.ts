import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponse } from '../errors/error-response.js';
import { RATE_LIMIT_CLASS, RATE_LIMIT_CLASSES, type RateLimitClass } from './rate-limit-classes.js';
import { RateLimitGuard } from './rate-limit.guard.js';

/**
 * Counts every call of this resolver or controller method (or of every method of a class)
 * against the Redis rate limits of `cls`, per caller and per IP (RATE_LIMIT_<CLASS>[_PER_IP]).
 * On HTTP endpoints it also documents the 429 answer in the OpenAPI document.
 */
export const RateLimited = (cls: RateLimitClass) =>
  applyDecorators(
    SetMetadata(RATE_LIMIT_CLASS, cls),
    UseGuards(RateLimitGuard),
    ApiResponse({
      status: 429,
      type: ErrorResponse,
      description: `RATE_LIMITED: too many ${RATE_LIMIT_CLASSES[cls].what} by this caller or from this IP (${RATE_LIMIT_CLASSES[cls].perCaller}, ${RATE_LIMIT_CLASSES[cls].perIp}); details.retryAfterSeconds says when to try again`,
      headers: { 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 1 } } },
    }),
  );
