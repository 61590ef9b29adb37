import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { ErrorCode, HTTP_STATUS } from './error-codes.js';
import { toDomainError } from './to-domain-error.js';

/**
 * The one place errors become responses. Domain errors keep their code and message; anything
 * else is logged with its stack and reaches the client as INTERNAL_SERVER_ERROR, without
 * stack, SQL or internal messages.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost) {
    const known = toDomainError(exception);
    if (!known) this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    const code = known?.code ?? ErrorCode.INTERNAL_SERVER_ERROR;
    const message = known?.message ?? 'Internal server error';
    const extensions = { code, ...(known?.reasonCode ? { reason: known.reasonCode } : {}), ...(known?.details ? { details: known.details } : {}) };

    if (host.getType<string>() === 'graphql') {
      return new GraphQLError(message, { extensions });
    }
    const reply = host.switchToHttp().getResponse<{ status(code: number): { send(body: unknown): void } }>();
    reply.status(HTTP_STATUS[code]).send({ error: { message, ...extensions } });
  }
}
