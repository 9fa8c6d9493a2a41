/**
 * What of an error may be written to a log line or a dead-letter header: its kind, a message
 * without the values that caused it, the database's condition and the stack frames — never the
 * statement's parameters, the row a constraint refused, or a request body.
 *
 * Errors carry the data that caused them: TypeORM's QueryFailedError keeps the statement and its
 * parameters (`query`, `parameters`, `driverError`), PostgreSQL's `detail` repeats the key or the
 * whole row a constraint refused, its data exceptions quote the value ("invalid input syntax for
 * type uuid: \"…\""), body-parser's errors keep the body, and JSON.parse quotes the input. With
 * personal data in requests (names, ID numbers, birth dates, addresses, phones, plates) that
 * would put it in every log.
 */
export interface LoggableError {
  type: string;
  message: string;
  /** SQLSTATE of a database error, or a library's error code. */
  code?: string;
  /** Names (never values) of what a database error concerns. */
  schema?: string;
  table?: string;
  column?: string;
  constraint?: string;
  dataType?: string;
  /** HTTP status of a refused request (body-parser, Nest). */
  status?: number;
  stack?: string;
  cause?: LoggableError;
}

/** Fields of a PostgreSQL error that name things (schema, table…) rather than quote values. */
const NAMING_FIELDS = ['schema', 'table', 'column', 'constraint', 'dataType'] as const;

const SQLSTATE = /^[0-9A-Z]{5}$/;
const MAX_MESSAGE = 500;
const MAX_CAUSES = 3;

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  stack?: unknown;
  code?: unknown;
  status?: unknown;
  statusCode?: unknown;
  type?: unknown;
  cause?: unknown;
  driverError?: unknown;
  raw?: unknown;
  constructor?: { name?: string };
  [key: string]: unknown;
}

/** The PostgreSQL error behind `error` (pg's DatabaseError, or TypeORM's wrapper of one). */
function databaseErrorOf(error: ErrorLike): ErrorLike | undefined {
  const driver = error.driverError as ErrorLike | undefined;
  if (driver && typeof driver === 'object' && typeof driver.code === 'string' && SQLSTATE.test(driver.code))
    return driver;
  if (typeof error.code === 'string' && SQLSTATE.test(error.code) && 'severity' in error) return error;
  return undefined;
}

/**
 * A message that says what went wrong without the input that made it go wrong. PostgreSQL's
 * data exceptions (class 22) put the value after the first ": "; integrity violations (class 23)
 * name the constraint in the message and the values in `detail`, which is never kept. JSON
 * syntax errors quote the text they could not read.
 */
export function loggableMessage(error: unknown): string {
  if (!(typeof error === 'object' && error !== null)) return String(error).slice(0, MAX_MESSAGE);
  const e = ((error as ErrorLike).raw as ErrorLike | undefined) ?? (error as ErrorLike);
  const message = typeof e.message === 'string' ? e.message : '';
  const db = databaseErrorOf(e);
  if (db) {
    const code = db.code as string;
    const text = typeof db.message === 'string' ? db.message : message;
    return (code.startsWith('22') ? text.split(': ')[0] : text).slice(0, MAX_MESSAGE);
  }
  if (e.type === 'entity.parse.failed') return 'request body is not valid JSON';
  if (e.name === 'SyntaxError' && /JSON/.test(message)) {
    // "Unexpected token 'x', \"{\"name\": x…\" is not valid JSON": keep the reason, not the text.
    return message.replace(/,?\s*".*$/s, '').slice(0, MAX_MESSAGE);
  }
  return message.slice(0, MAX_MESSAGE);
}

/** The class of the error (pg names its DatabaseError instances "error"), else its `name`. */
function typeOf(e: ErrorLike): string {
  const ctor = e.constructor?.name;
  if (ctor && ctor !== 'Error' && ctor !== 'Object') return ctor;
  return typeof e.name === 'string' && e.name !== '' ? e.name : 'Error';
}

/** The stack's frames under a first line rebuilt from the loggable message. */
function framesOf(stack: unknown, header: string): string | undefined {
  if (typeof stack !== 'string') return undefined;
  const frames = stack.split('\n').filter((line) => /^\s+at /.test(line));
  return [header, ...frames].join('\n');
}

/** The loggable part of an error (see the module comment); anything else is dropped. */
export function loggableError(error: unknown, depth = 0): LoggableError {
  if (!(typeof error === 'object' && error !== null)) {
    return { type: typeof error, message: String(error).slice(0, MAX_MESSAGE) };
  }
  // pino's wrapped serializers hand over a copy that keeps the original error as `raw`.
  const e = ((error as ErrorLike).raw as ErrorLike | undefined) ?? (error as ErrorLike);
  const type = typeOf(e);
  const message = loggableMessage(e);
  const out: LoggableError = { type, message };
  const db = databaseErrorOf(e);
  if (db) {
    out.code = db.code as string;
    for (const field of NAMING_FIELDS) {
      const value = db[field];
      if (typeof value === 'string' && value !== '') out[field] = value;
    }
  } else if (typeof e.code === 'string' && /^[\w.-]{1,64}$/.test(e.code)) {
    out.code = e.code;
  }
  const status = typeof e.status === 'number' ? e.status : e.statusCode;
  if (typeof status === 'number') out.status = status;
  const stack = framesOf(e.stack, `${type}: ${message}`);
  if (stack) out.stack = stack;
  if (e.cause !== undefined && depth < MAX_CAUSES) out.cause = loggableError(e.cause, depth + 1);
  return out;
}

/**
 * `Type: message` of {@link loggableError} (with the SQLSTATE of a database error), for a log field
 * or a header that holds a string.
 */
export function describeLoggableError(error: unknown): string {
  const { type, message, code, table } = loggableError(error);
  const where = table ? ` on ${table}` : '';
  const sqlState = code && SQLSTATE.test(code) ? ` (SQLSTATE ${code}${where})` : '';
  return `${type}: ${message}${sqlState}`;
}
