import { createParamDecorator, Injectable, type ExecutionContext, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A 50,000-camera CSV is about 10 MB; twice that leaves room for long names and addresses. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

const IMPORT_PATH = /^\/video-systems\/[^/]+\/cameras\/import\/?$/;
const BODY = Symbol('camera import body');

type ImportRequest = IncomingMessage & { [BODY]?: Buffer };
type Next = (error?: unknown) => void;

function tooLarge(req: IncomingMessage, res: ServerResponse, limit: number) {
  res.statusCode = 413;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(
    JSON.stringify({
      statusCode: 413,
      error: 'Payload Too Large',
      message: `the import is larger than ${Math.round(limit / 1024 / 1024)} MB; split it into several files`,
    }),
  );
  // Discard the rest rather than reset the connection, so the client gets to read the answer.
  req.resume();
}

/**
 * Buffers the raw body of an import request up to `limit` bytes and answers 413 beyond that. It
 * must run before the application's JSON parser, whose 1 MB limit is right for every other route
 * but would refuse a JSON inventory and consume the stream.
 */
export function importBodyReader(limit = MAX_IMPORT_BYTES) {
  return function cameraImportBody(req: ImportRequest, res: ServerResponse, next: Next) {
    if (req.method !== 'POST' || !IMPORT_PATH.test((req.url ?? '').split('?')[0])) {
      next();
      return;
    }
    if (Number(req.headers['content-length']) > limit) {
      tooLarge(req, res, limit);
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
      tooLarge(req, res, limit);
    };
    const onEnd = () => {
      stop();
      req[BODY] = Buffer.concat(chunks, size);
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

interface ExpressLike {
  use(handler: (req: IncomingMessage, res: ServerResponse, next: Next) => void): unknown;
  router?: { stack?: { name?: string }[] };
}

/**
 * Puts `handler` in front of the body parsers the service app registered. Nest applies
 * route middleware only after those, so a middleware of this module could not see the stream.
 */
export function installBeforeBodyParsers(
  app: ExpressLike,
  handler: (req: IncomingMessage, res: ServerResponse, next: Next) => void,
): void {
  app.use(handler);
  const stack = app.router?.stack;
  if (!Array.isArray(stack))
    throw new Error('cannot install the camera import body reader: no express router');
  const layer = stack.pop()!;
  const firstParser = stack.findIndex((l) => /^(json|urlencoded|raw|text)Parser$/.test(l.name ?? ''));
  stack.splice(firstParser >= 0 ? firstParser : 0, 0, layer);
}

@Injectable()
export class CameraImportBodyReader implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit() {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() !== 'express') return;
    installBeforeBodyParsers(adapter.getInstance<ExpressLike>(), importBodyReader());
  }
}

export interface ImportUpload {
  contentType: string | undefined;
  contentEncoding: string | undefined;
  bytes: Buffer;
}

/** The upload as the body reader kept it. */
export const ImportBody = createParamDecorator((_data: unknown, context: ExecutionContext): ImportUpload => {
  const req = context.switchToHttp().getRequest<ImportRequest>();
  const bytes = req[BODY];
  if (!bytes) throw new Error('the camera import body reader did not run for this request');
  return {
    contentType: req.headers['content-type'],
    contentEncoding: req.headers['content-encoding'],
    bytes,
  };
});
