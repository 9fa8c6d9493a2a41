import { createParamDecorator, Injectable, type ExecutionContext, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { installBeforeBodyParsers, rawBodyOf, rawBodyReader } from '@safecity/service-kit';
import type { IncomingMessage } from 'node:http';

/** A 50,000-camera CSV is about 10 MB; twice that leaves room for long names and addresses. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

const IMPORT_PATH = /^\/video-systems\/[^/]+\/cameras\/import\/?$/;

/**
 * Buffers the raw body of an import request up to `limit` bytes and answers 413 beyond that. It
 * must run before the application's JSON parser, whose 1 MB limit is right for every other route
 * but would refuse a JSON inventory and consume the stream.
 */
export function importBodyReader(limit = MAX_IMPORT_BYTES) {
  return rawBodyReader({
    limit,
    applies: (req) => req.method === 'POST' && IMPORT_PATH.test((req.url ?? '').split('?')[0]),
    tooLarge: (max) => ({
      statusCode: 413,
      error: 'Payload Too Large',
      message: `the import is larger than ${Math.round(max / 1024 / 1024)} MB; split it into several files`,
    }),
  });
}

@Injectable()
export class CameraImportBodyReader implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit() {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() !== 'express') return;
    installBeforeBodyParsers(adapter.getInstance(), importBodyReader());
  }
}

export interface ImportUpload {
  contentType: string | undefined;
  contentEncoding: string | undefined;
  bytes: Buffer;
}

/** The upload as the body reader kept it. */
export const ImportBody = createParamDecorator((_data: unknown, context: ExecutionContext): ImportUpload => {
  const req = context.switchToHttp().getRequest<IncomingMessage>();
  const bytes = rawBodyOf(req);
  if (!bytes) throw new Error('the camera import body reader did not run for this request');
  return {
    contentType: req.headers['content-type'],
    contentEncoding: req.headers['content-encoding'],
    bytes,
  };
});
