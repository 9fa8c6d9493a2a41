import type { Request, Response } from 'express';
import {
  ConflictError,
  DomainError,
  DomainErrorCode,
  InvalidError,
  TooFrequentError,
  UnavailableError,
} from './domain-error';

/** The media type of every answer built from a domain error (RFC 9457). */
export const PROBLEM_JSON = 'application/problem+json';

const STATUS_OF: Record<DomainErrorCode, number> = {
  [DomainErrorCode.NotFound]: 404,
  [DomainErrorCode.Conflict]: 409,
  [DomainErrorCode.Invalid]: 422,
  [DomainErrorCode.Forbidden]: 403,
  [DomainErrorCode.Unavailable]: 503,
  [DomainErrorCode.TooFrequent]: 429,
};

const TITLE_OF: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/**
 * An RFC 9457 problem document. `statusCode`, `error` and `message` repeat `status`, `title` and
 * `detail` under the names the platform's clients read since before the problem format;
 * `problems` (field and reason) and `allowed` (the steps the state allows) are extension members.
 */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  statusCode: number;
  error: string;
  message: string;
  problems?: { field: string; reason: string; line?: number }[];
  allowed?: string[];
  retryAfterSeconds?: number;
}

/** `urn:safecity:problem:<code>`: a stable name per kind of problem, not a page to fetch. */
export function problemType(code: DomainErrorCode): string {
  return `urn:safecity:problem:${code}`;
}

/** The HTTP answer of a domain error: status, headers and the problem document. */
export function httpProblemOf(
  error: DomainError,
  instance?: string,
): { status: number; headers: Record<string, string>; body: ProblemDocument } {
  const status = error instanceof InvalidError && error.malformed ? 400 : STATUS_OF[error.code];
  const title = TITLE_OF[status] ?? 'Error';
  const body: ProblemDocument = {
    type: problemType(error.code),
    title,
    status,
    detail: error.message,
    ...(instance ? { instance } : {}),
    statusCode: status,
    error: title,
    message: error.message,
  };
  if (error instanceof InvalidError || (error instanceof ConflictError && error.problems.length > 0)) {
    body.problems = error.problems.map((p) => ({ ...p }));
  }
  if (error instanceof ConflictError && error.allowed) body.allowed = [...error.allowed];
  const headers: Record<string, string> = { 'content-type': `${PROBLEM_JSON}; charset=utf-8` };
  if (error instanceof UnavailableError || error instanceof TooFrequentError) {
    body.retryAfterSeconds = error.retryAfterSeconds;
    headers['retry-after'] = String(error.retryAfterSeconds);
  }
  return { status, headers, body };
}

/**
 * Answers a domain error on an Express response. `instance` is the request's path without its
 * query string (queries carry plates and names).
 */
export function replyWithProblem(request: Request | undefined, response: Response, error: DomainError): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  const path = request?.originalUrl ?? request?.url;
  const { status, headers, body } = httpProblemOf(error, path?.split('?')[0]);
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  response.status(status).send(JSON.stringify(body));
}
