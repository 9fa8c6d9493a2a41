import {
  createParamDecorator,
  Inject,
  Injectable,
  type ExecutionContext,
  type OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { INGESTION_SETTINGS, type IngestionSettings } from '../ingestion-settings';

const INGEST_PATH = /^\/ingest\/v1\//;
const BODY = Symbol('ingest body');

type IngestRequest = IncomingMessage & { [BODY]?: Buffer };
type Next = (error?: unknown) => void;

function tooLarge(req: IncomingMessage, res: ServerResponse, limit: number) {
  res.statusCode = 413;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(
    JSON.stringify({
      statusCode: 413,
      error: 'Payload Too Large',
      message: `the body is larger than ${limit} bytes`,
      problems: [{ field: 'body', reason: `must be at most ${limit} bytes` }],
    }),
  );
  req.resume();
}

/**
 * Buffers the raw body of every ingest request (JSON, protobuf, XML, multipart) up to `limit`
 * bytes, before the application's JSON parser could refuse or consume it: each adapter parses its
 * own format, and every malformed body becomes a 4xx with field and reason.
 */
export function ingestBodyReader(limit: number) {
  return function ingestBody(req: IngestRequest, res: ServerResponse, next: Next) {
    if (req.method !== 'POST' || !INGEST_PATH.test(req.url ?? '')) {
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

@Injectable()
export class IngestBodyReader implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(INGESTION_SETTINGS) private readonly settings: IngestionSettings,
  ) {}

  onModuleInit() {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() !== 'express') return;
    const app = adapter.getInstance<ExpressLike>();
    app.use(ingestBodyReader(this.settings.maxBodyBytes));
    // Nest adds route middleware after the body parsers; this one must come before them.
    const stack = app.router?.stack;
    if (!Array.isArray(stack)) throw new Error('cannot install the ingest body reader: no express router');
    const layer = stack.pop()!;
    const firstParser = stack.findIndex((l) => /^(json|urlencoded|raw|text)Parser$/.test(l.name ?? ''));
    stack.splice(firstParser >= 0 ? firstParser : 0, 0, layer);
  }
}

export interface IngestUpload {
  contentType: string;
  bytes: Buffer;
}

export const IngestBody = createParamDecorator((_data: unknown, context: ExecutionContext): IngestUpload => {
  const req = context.switchToHttp().getRequest<IngestRequest>();
  const bytes = req[BODY];
  if (!bytes) throw new Error('the ingest body reader did not run for this request');
  return { contentType: String(req.headers['content-type'] ?? ''), bytes };
});
