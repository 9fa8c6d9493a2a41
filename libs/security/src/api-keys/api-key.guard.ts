import {
  applyDecorators,
  Inject,
  Injectable,
  Optional,
  SetMetadata,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  attachPrincipal,
  attachRequestPrincipal,
  callKind,
  grpcMetadata,
  httpRequest,
  principalFromContext,
  type HttpRequestLike,
  type HttpResponseLike,
} from '../auth/call-context';
import { VIDEO_SYSTEM_AUTH } from '../auth/decorators';
import { tooManyRequests, unauthenticated } from '../auth/security-errors';
import type { ApiKeyAuthenticator } from './api-key.authenticator';

export const API_KEY_AUTHENTICATOR = Symbol.for('safecity:security:API_KEY_AUTHENTICATOR');

const API_KEY_SCHEME = /^ApiKey +(\S+) *$/i;
const CHALLENGE = 'ApiKey realm="safecity"';

/**
 * Authenticates video systems by API key (`X-Api-Key: <key>` or `Authorization: ApiKey <key>`),
 * putting a `video-system` principal bound to the key's region on the call. Apply it with
 * `@VideoSystemAuth()`, which also tells the bearer-token guard to stand aside.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    @Optional() @Inject(API_KEY_AUTHENTICATOR) private readonly authenticator?: ApiKeyAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const kind = callKind(context);
    if (kind !== 'http' && kind !== 'grpc') throw new Error(`ApiKeyGuard cannot authenticate a ${kind} call`);
    if (!this.authenticator) {
      throw new Error('@VideoSystemAuth() needs SecurityModule.forRoot({ apiKeys: ... })');
    }
    // Authenticated already, from the headers, before the body was read (`authenticateApiKeyRequest`).
    if (principalFromContext(context, kind)?.kind === 'video-system') return true;
    const response = kind === 'http' ? context.switchToHttp().getResponse<HttpResponseLike>() : undefined;
    const presented = presentedKey(context);
    if (presented === undefined)
      throw unauthenticated(kind, 'missing or invalid API key', response, CHALLENGE);
    const result = await this.authenticator.authenticate(presented);
    if (!result.ok) {
      if (result.reason === 'rate-limited') {
        throw tooManyRequests(
          kind,
          'rate limit of this API key exceeded',
          result.retryAfterSeconds,
          response,
        );
      }
      throw unauthenticated(kind, 'missing or invalid API key', response, CHALLENGE);
    }
    attachPrincipal(context, result.principal);
    return true;
  }
}

/**
 * Authenticates an HTTP request's API key from its headers alone, before anything reads its body:
 * a caller without a valid key is answered 401 (or 429 past its key's rate) at once, and its body
 * is never buffered. On success the request carries the video system's principal, which
 * `ApiKeyGuard` then takes as it is. Resolves whether the request may go on.
 */
export async function authenticateApiKeyRequest(
  authenticator: ApiKeyAuthenticator,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const presented = presentedHttpKey(req.headers);
  const result = presented === undefined ? undefined : await authenticator.authenticate(presented);
  if (result?.ok) {
    attachRequestPrincipal(req as HttpRequestLike, result.principal);
    return true;
  }
  const limited = result?.reason === 'rate-limited';
  const body = limited
    ? {
        statusCode: 429,
        error: 'Too Many Requests',
        message: 'rate limit of this API key exceeded',
        retryAfterSeconds: result.retryAfterSeconds,
      }
    : { statusCode: 401, error: 'Unauthorized', message: 'missing or invalid API key' };
  res.statusCode = body.statusCode;
  if (limited) res.setHeader('Retry-After', String(result.retryAfterSeconds));
  else res.setHeader('WWW-Authenticate', CHALLENGE);
  res.setHeader('content-type', 'application/json; charset=utf-8');
  // The unread body is not wanted: close the connection after the answer instead of reading it.
  res.setHeader('connection', 'close');
  res.end(JSON.stringify(body));
  return false;
}

function presentedHttpKey(headers: IncomingMessage['headers']): string | undefined {
  const candidates: string[] = [...list(headers['x-api-key'])];
  for (const value of list(headers['authorization'])) {
    const match = API_KEY_SCHEME.exec(value);
    if (match) candidates.push(match[1] as string);
  }
  const distinct = [...new Set(candidates.map((c) => c.trim()).filter(Boolean))];
  return distinct.length === 1 ? distinct[0] : undefined;
}

/** The key of the call; undefined if there is none, or two that disagree. */
function presentedKey(context: ExecutionContext): string | undefined {
  if (callKind(context) === 'http') return presentedHttpKey(httpRequest(context).headers);
  const metadata = grpcMetadata(context);
  const candidates = metadata.get('x-api-key').map(String);
  for (const value of metadata.get('authorization').map(String)) {
    const match = API_KEY_SCHEME.exec(value);
    if (match) candidates.push(match[1] as string);
  }
  const distinct = [...new Set(candidates.map((c) => c.trim()).filter(Boolean))];
  return distinct.length === 1 ? distinct[0] : undefined;
}

function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The route is called by video systems with an API key instead of a bearer token. */
export const VideoSystemAuth = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(VIDEO_SYSTEM_AUTH, true), UseGuards(ApiKeyGuard));
