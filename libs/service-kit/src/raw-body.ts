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
  const { limit } = options;
  return function rawBody(req: WithRawBody, res, next) {
    if (!options.applies(req)) {
      next();
      return;
    }
    if (Number(req.headers['content-length']) > limit) {
      refuse(req, res, options.tooLarge(limit));
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
      refuse(req, res, options.tooLarge(limit));
    };
    const onEnd = () => {
      stop();
      req[RAW_BODY] = Buffer.concat(chunks, size);
      next();
    };
    const onError = (error: unknown) => {
      stop();
      next(error);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  };
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
