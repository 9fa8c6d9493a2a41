import { Catch, HttpException, Logger, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { isDependencyUnavailable } from '@safecity/messaging';
import { loggableError } from '@safecity/observability';
import { OutageLog } from './outage-log';
import type { Response } from 'express';
import { DomainError } from './domain-errors/domain-error';
import { replyWithProblem } from './domain-errors/http-problem';

interface BodyReadError {
  type: string;
  status: number;
  message: string;
  limit?: number;
}

/** The errors body-parser (or the JSON depth check) raises while reading a request body. */
function bodyReadErrorOf(exception: unknown): BodyReadError | undefined {
  if (!(exception instanceof Error)) return undefined;
  const e = exception as Error & Partial<BodyReadError> & { statusCode?: number };
  const status = e.status ?? e.statusCode;
  if (typeof e.type !== 'string' || typeof status !== 'number' || status < 400 || status >= 500)
    return undefined;
  return { type: e.type, status, message: e.message, limit: e.limit };
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
};

/** What the caller is told about a body that could not be read; never the body itself. */
function bodyProblem(error: BodyReadError): string {
  switch (error.type) {
    case 'entity.parse.failed':
      return 'is not valid JSON';
    case 'entity.too.large':
      return error.limit ? `must be at most ${error.limit} bytes` : 'is too large';
    case 'entity.too.deep':
      return error.message;
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return 'is in an unsupported encoding';
    default:
      return 'could not be read';
  }
}

/** What a caller refused for an outage is told to wait: about the time a database takes to restart. */
const RETRY_AFTER_SECONDS = 5;

/** SQLSTATE of a PostgreSQL data exception (class 22: a value the column's type cannot hold). */
function dataExceptionOf(exception: unknown): string | undefined {
  const code = (exception as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code) && 'driverError' in (exception as object)
    ? code
    : undefined;
}

/**
 * The last word on errors of every service's REST routes.
 *
 * - A body that cannot be read (not JSON, too large, too deeply nested) is the caller's mistake:
 *   4xx naming `body`, without repeating the body or the parser's quote of it, and not logged as
 *   a server error.
 * - A value the database refuses as data (class 22: text it cannot store, a number or date out of
 *   range) is bad input the validation missed: 400, logged as a warning without the value.
 * - A domain error a use case throws is an RFC 9457 problem (`domain-errors/http-problem.ts`).
 * - A dependency that cannot answer (the database down or starting up, a service over gRPC) is no
 *   fault of the request: 503 with `Retry-After`, and one log line when such failures begin and
 *   one when they end, not one per request.
 * - Everything else is Nest's: HTTP exceptions as they are, anything unknown a 500 whose log line
 *   goes through the loggers' redacting error serializer.
 */
@Catch()
export class EdgeExceptionFilter extends BaseExceptionFilter {
  private readonly log = new Logger('EdgeExceptionFilter');
  private readonly outage = new OutageLog(this.log, 'HTTP requests');

  override catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() === 'http' && exception instanceof DomainError) {
      replyWithProblem(host.switchToHttp().getRequest(), host.switchToHttp().getResponse(), exception);
      return;
    }
    if (host.getType() !== 'http' || exception instanceof HttpException) {
      super.catch(exception, host);
      return;
    }
    const response = host.switchToHttp().getResponse<Response>();
    const bodyError = bodyReadErrorOf(exception);
    if (bodyError) {
      this.reply(response, bodyError.status, 'body', bodyProblem(bodyError));
      return;
    }
    if (isDependencyUnavailable(exception)) {
      this.outage.refused(exception);
      if (response.headersSent) {
        response.end();
        return;
      }
      response.status(503).setHeader('Retry-After', String(RETRY_AFTER_SECONDS)).json({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'a dependency of the service is unavailable; retry later',
      });
      return;
    }
    const dataException = dataExceptionOf(exception);
    if (dataException) {
      this.log.warn({ msg: 'a value was refused by the database', err: loggableError(exception) });
      this.reply(response, 400, 'request', 'holds a value the platform cannot store');
      return;
    }
    super.catch(exception, host);
  }

  private reply(response: Response, status: number, field: string, reason: string): void {
    if (response.headersSent) {
      response.end();
      return;
    }
    response.status(status).json({
      statusCode: status,
      error: STATUS_TEXT[status] ?? 'Bad Request',
      message: status === 400 ? 'request validation failed' : reason,
      problems: [{ field, reason }],
    });
  }
}
