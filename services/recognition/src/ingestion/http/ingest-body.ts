import {
  createParamDecorator,
  Inject,
  Injectable,
  type ExecutionContext,
  type OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { installBeforeBodyParsers, rawBodyOf, rawBodyReader } from '@safecity/service-kit';
import type { IncomingMessage } from 'node:http';
import { INGESTION_SETTINGS, type IngestionSettings } from '../ingestion-settings';

const INGEST_PATH = /^\/ingest\/v1\//;

/**
 * Buffers the raw body of every ingest request (JSON, protobuf, XML, multipart) up to `limit`
 * bytes, before the application's JSON parser could refuse or consume it: each adapter parses its
 * own format, and every malformed body becomes a 4xx with field and reason.
 */
export function ingestBodyReader(limit: number) {
  return rawBodyReader({
    limit,
    applies: (req) => req.method === 'POST' && INGEST_PATH.test(req.url ?? ''),
    tooLarge: (max) => ({
      statusCode: 413,
      error: 'Payload Too Large',
      message: `the body is larger than ${max} bytes`,
      problems: [{ field: 'body', reason: `must be at most ${max} bytes` }],
    }),
  });
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
    installBeforeBodyParsers(adapter.getInstance(), ingestBodyReader(this.settings.maxBodyBytes));
  }
}

export interface IngestUpload {
  contentType: string;
  bytes: Buffer;
}

export const IngestBody = createParamDecorator((_data: unknown, context: ExecutionContext): IngestUpload => {
  const req = context.switchToHttp().getRequest<IncomingMessage>();
  const bytes = rawBodyOf(req);
  if (!bytes) throw new Error('the ingest body reader did not run for this request');
  return { contentType: String(req.headers['content-type'] ?? ''), bytes };
});
