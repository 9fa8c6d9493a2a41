import { EVENT_DISPOSITION } from '@safecity/messaging';
import type { FieldProblem as BaseFieldProblem } from '../validation';

/** What went wrong, in the domain's words; each transport maps a code once (HTTP, gRPC, Kafka). */
export enum DomainErrorCode {
  NotFound = 'not-found',
  Conflict = 'conflict',
  Invalid = 'invalid',
  Forbidden = 'forbidden',
  Unavailable = 'unavailable',
  TooFrequent = 'too-frequent',
}

/** One field of a command and why it cannot be accepted (a line of an uploaded file, if any). */
export type FieldProblem = BaseFieldProblem & { line?: number };

/**
 * A refusal a use case throws: it says what is wrong with the command or the state, never how a
 * transport answers it (`domain-errors/http-problem.ts`, `grpc-status.ts`; the event transport
 * reads {@link EVENT_DISPOSITION}).
 */
export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
  /** Only an outage may succeed when the same event is handled again; bad data never does. */
  get [EVENT_DISPOSITION](): 'retry' | 'dead-letter' {
    return this.code === DomainErrorCode.Unavailable || this.code === DomainErrorCode.TooFrequent
      ? 'retry'
      : 'dead-letter';
  }

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The object does not exist, or lies where the caller may not look (answered alike). */
export class NotFoundError extends DomainError {
  readonly code = DomainErrorCode.NotFound;
}

/**
 * The step does not fit the object's state: a duplicate, a changed version, a step the state does
 * not allow. `allowed` names the steps that are, when there is such a list.
 */
export class ConflictError extends DomainError {
  readonly code = DomainErrorCode.Conflict;
  readonly problems: readonly FieldProblem[];
  readonly allowed?: readonly string[];

  constructor(reason: string, options: { field?: string; allowed?: readonly string[] } = {}) {
    super(reason);
    this.problems = options.field ? [{ field: options.field, reason }] : [];
    this.allowed = options.allowed;
  }
}

/**
 * The command cannot be carried out as given, each problem naming its field and the reason.
 * `malformed`: the command's shape is wrong (HTTP 400, like the validation pipe's refusals);
 * otherwise it is well formed but refers to what does not fit (422: an unknown region…).
 * `message` sums the problems up where their reasons joined would not (an import's hundred rows).
 */
export class InvalidError extends DomainError {
  readonly code = DomainErrorCode.Invalid;
  readonly problems: readonly FieldProblem[];
  readonly malformed: boolean;

  constructor(
    problems: FieldProblem | readonly FieldProblem[],
    options: { malformed?: boolean; message?: string } = {},
  ) {
    const list = Array.isArray(problems) ? [...(problems as FieldProblem[])] : [problems as FieldProblem];
    if (list.length === 0) throw new Error('InvalidError needs at least one problem');
    super(
      options.message ??
        (options.malformed ? 'request validation failed' : list.map((p) => p.reason).join('; ')),
    );
    this.problems = list;
    this.malformed = options.malformed ?? false;
  }
}

/** The caller may not do this, whatever the data. */
export class ForbiddenError extends DomainError {
  readonly code = DomainErrorCode.Forbidden;
}

/** A dependency (the database, another service, the broker) cannot answer now: retry later. */
export class UnavailableError extends DomainError {
  readonly code = DomainErrorCode.Unavailable;
  /** When a retry makes sense, in seconds. */
  readonly retryAfterSeconds: number;

  constructor(message: string, options: { retryAfterSeconds?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.retryAfterSeconds = options.retryAfterSeconds ?? 5;
  }
}

/**
 * The caller asks more often than its allowance (a citizen's reports, a user's live streams):
 * neither bad data nor an outage — the same request succeeds once the allowance has come back.
 */
export class TooFrequentError extends DomainError {
  readonly code = DomainErrorCode.TooFrequent;
  /** When the allowance is back, in seconds. */
  readonly retryAfterSeconds: number;

  constructor(message: string, options: { retryAfterSeconds: number }) {
    super(message);
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
