import {
  createParamDecorator,
  Inject,
  Injectable,
  Optional,
  type ExecutionContext,
  type OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  API_KEY_AUTHENTICATOR,
  authenticateApiKeyRequest,
  authenticateBearerRequest,
  TOKEN_VERIFIER,
  type ApiKeyAuthenticator,
  type TokenVerifier,
} from '@safecity/security';
import {
  bufferRawBody,
  installBeforeBodyParsers,
  rawBodyOf,
  type NodeMiddleware,
} from '@safecity/service-kit';
import type { IncomingMessage } from 'node:http';
import { bodyLimitOf, type IngestBodyLimits } from '../body-limits';
import { INGESTION_SETTINGS, type IngestionSettings } from '../ingestion-settings';

/** The ingest routes, as the router matches them (case-sensitive, an optional trailing slash). */
const INGEST_ROUTE =
  /^\/ingest\/v1\/(detections|onvif-events|hikvision-isapi|onvif|hikvision|frigate|platform-analytics)\/?$/;
const ADAPTER_OF_ROUTE = {
  detections: 'canonical',
  'onvif-events': 'onvif',
  'hikvision-isapi': 'hikvision',
  // The earlier paths of the two above.
  onvif: 'onvif',
  hikvision: 'hikvision',
  frigate: 'frigate',
  // The platform's own analytics send canonical detections, with the service's bearer token.
  'platform-analytics': 'canonical',
} as const;

/**
 * In front of every ingest route, before any body parser: authenticates the video system's API key
 * (the platform's own analytics: the service's bearer token) from the headers (401 or 429 at once,
 * the body never read), then buffers the raw body (JSON, protobuf, XML, multipart) up to the limit
 * of its format and content type, answering 413 beyond. Each adapter parses its own format, and
 * every malformed body becomes a 4xx with field and reason.
 */
export function ingestGate(
  authenticator: ApiKeyAuthenticator,
  verifier: TokenVerifier,
  limits?: IngestBodyLimits,
): NodeMiddleware {
  return (req, res, next) => {
    const route = req.method === 'POST' ? INGEST_ROUTE.exec((req.url ?? '').split('?', 1)[0]!) : null;
    if (!route) {
      next();
      return;
    }
    const name = route[1] as keyof typeof ADAPTER_OF_ROUTE;
    const authenticated =
      name === 'platform-analytics'
        ? authenticateBearerRequest(verifier, req, res)
        : authenticateApiKeyRequest(authenticator, req, res);
    authenticated.then((admitted) => {
      if (!admitted) return;
      const adapter = ADAPTER_OF_ROUTE[name];
      const limit = bodyLimitOf(adapter, String(req.headers['content-type'] ?? ''), limits);
      bufferRawBody(req, res, next, limit, (max) => ({
        statusCode: 413,
        error: 'Payload Too Large',
        message: `the body is larger than ${max} bytes`,
        problems: [{ field: 'body', reason: `must be at most ${max} bytes` }],
      }));
    }, next);
  };
}

@Injectable()
export class IngestBodyReader implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(INGESTION_SETTINGS) private readonly settings: IngestionSettings,
    @Optional() @Inject(API_KEY_AUTHENTICATOR) private readonly authenticator?: ApiKeyAuthenticator,
    @Optional() @Inject(TOKEN_VERIFIER) private readonly verifier?: TokenVerifier,
  ) {}

  onModuleInit() {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() !== 'express') return;
    if (!this.authenticator) throw new Error('the ingest routes need the API key authenticator');
    if (!this.verifier) throw new Error('the platform analytics route needs the token verifier');
    installBeforeBodyParsers(
      adapter.getInstance(),
      ingestGate(this.authenticator, this.verifier, this.settings.bodyLimits),
    );
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
