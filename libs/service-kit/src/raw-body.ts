import type { IncomingMessage, ServerResponse } from 'node:http';

type Next = (error?: unknown) => void;
export type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next: Next) => void;

const RAW_BODY = Symbol('raw body');
type WithRawBody = IncomingMessage & { [RAW_BODY]?: Buffer };

export interface RawBodyOptions {
  /** Requests whose body is kept raw; every other request passes through untouched. */
  applies(req: IncomingMessage): boolean;
  limit: number;
  /** The JSON answer of a 413 for a body over the limit. */
  tooLarge(limit: number): Record<string, unknown>;
}

function refuse(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>) {
  res.statusCode = 413;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
  // Discard the rest rather than reset the connection, so the client gets to read the answer.
  req.resume();
}

/**
 * Buffers the raw body of the requests it applies to, up to `limit` bytes, and answers 413 beyond
 * that. Routes that parse their own formats (uploads, vendor payloads) need the bytes before the
 * application's JSON parser could refuse or consume the stream.
 */
export function rawBodyReader(options: RawBodyOptions): NodeMiddleware {
  return function rawBody(req, res, next) {
    if (!options.applies(req)) {
      next();
      return;
    }
    bufferRawBody(req, res, next, options.limit, options.tooLarge);
  };
}

/**
 * Buffers this request's body, up to `limit` bytes, for `rawBodyOf`, then calls `next`; answers
 * 413 with `tooLarge(limit)` as soon as the announced or received length is over the limit.
 */
export function bufferRawBody(
  req: IncomingMessage,
  res: ServerResponse,
  next: Next,
  limit: number,
  tooLarge: (limit: number) => Record<string, unknown>,
): void {
  const request = req as WithRawBody;
  if (Number(req.headers['content-length']) > limit) {
    refuse(req, res, tooLarge(limit));
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const stop = () => {
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('error', onError);
  };
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size <= limit) {
      chunks.push(chunk);
      return;
    }
    stop();
    chunks.length = 0;
    refuse(req, res, tooLarge(limit));
  };
  const onEnd = () => {
    stop();
    request[RAW_BODY] = Buffer.concat(chunks, size);
    chunks.length = 0;
    next();
  };
  const onError = (error: unknown) => {
    stop();
    next(error);
  };
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('error', onError);
}

/** The body `rawBodyReader` kept for this request; undefined when it did not apply. */
export function rawBodyOf(req: IncomingMessage): Buffer | undefined {
  return (req as WithRawBody)[RAW_BODY];
}

interface ExpressLike {
  use(handler: NodeMiddleware): unknown;
  router?: { stack?: { name?: string }[] };
}

/**
 * Puts `handler` in front of the body parsers the service app registered. Nest applies route
 * middleware only after those, so a module's own middleware could not see the stream.
 */
export function installBeforeBodyParsers(app: ExpressLike, handler: NodeMiddleware): void {
  app.use(handler);
  const stack = app.router?.stack;
  if (!Array.isArray(stack)) throw new Error('cannot install a raw body reader: no express router');
  const layer = stack.pop()!;
  const firstParser = stack.findIndex((l) => /^(json|urlencoded|raw|text)Parser$/.test(l.name ?? ''));
  stack.splice(firstParser >= 0 ? firstParser : 0, 0, layer);
}

export interface BodyDeadlineOptions {
  /** Time any body has, ms, before its size adds more. Default 10 s. */
  graceMs?: number;
  /** Slowest average rate a body of announced length may arrive at, bytes/s. Default 256 KiB/s. */
  minBytesPerSecond?: number;
  /** Time a body without announced length (chunked) has, ms. Default 60 s. */
  unannouncedMs?: number;
}

/**
 * Answers 408 and closes the connection when a request's body has not arrived in time: the grace
 * period, plus its announced length at the slowest rate an honest client uploads at. A client that
 * trickles a body in a byte at a time would otherwise hold a connection, and whatever waits on the
 * body, for as long as it likes. Bodies without a length get a fixed time.
 */
export function bodyDeadline(options: BodyDeadlineOptions = {}): NodeMiddleware {
  const grace = options.graceMs ?? 10_000;
  const rate = options.minBytesPerSecond ?? 256 * 1024;
  const unannounced = options.unannouncedMs ?? 60_000;
  return function deadline(req, res, next) {
    const announced = req.headers['content-length'];
    const chunked = req.headers['transfer-encoding'] !== undefined;
    if (req.complete || (!chunked && (announced === undefined || announced === '0'))) {
      next();
      return;
    }
    const length = Number(announced);
    const ms = chunked || !Number.isFinite(length) ? unannounced : grace + (length / rate) * 1000;
    const timer = setTimeout(() => {
      if (req.complete) return;
      if (res.headersSent) {
        req.socket.destroy();
        return;
      }
      res.writeHead(408, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
      res.end(
        JSON.stringify({
          statusCode: 408,
          error: 'Request Timeout',
          message: `the body did not arrive within ${Math.ceil(ms / 1000)} s`,
        }),
      );
      res.once('finish', () => req.socket.destroy());
    }, ms);
    timer.unref();
    const clear = () => clearTimeout(timer);
    req.once('end', clear);
    req.once('close', clear);
    next();
  };
}
