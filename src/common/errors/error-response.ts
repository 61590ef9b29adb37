import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The error body of every REST endpoint. */
class ErrorBody {
  @ApiProperty() message: string;
  @ApiProperty({ example: 'BAD_USER_INPUT', description: 'BAD_USER_INPUT, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, CONFLICT, PAYLOAD_TOO_LARGE, RATE_LIMITED...' })
  code: string;
  @ApiPropertyOptional({ description: 'Refines the code: TOKEN_EXPIRED, INVALID_CREDENTIALS' }) reason?: string;
  @ApiPropertyOptional({ type: Object, description: 'Machine-readable context: the offending field, retryAfterSeconds...' }) details?: Record<string, unknown>;
}

export class ErrorResponse {
  @ApiProperty({ type: ErrorBody }) error: ErrorBody;
}
