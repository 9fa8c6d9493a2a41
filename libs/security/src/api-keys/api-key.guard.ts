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
import {
  attachPrincipal,
  callKind,
  grpcMetadata,
  httpRequest,
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

/** The key of the call; undefined if there is none, or two that disagree. */
function presentedKey(context: ExecutionContext): string | undefined {
  const candidates: string[] = [];
  if (callKind(context) === 'http') {
    const headers = httpRequest(context).headers;
    candidates.push(...list(headers['x-api-key']));
    for (const value of list(headers['authorization'])) {
      const match = API_KEY_SCHEME.exec(value);
      if (match) candidates.push(match[1] as string);
    }
  } else {
    const metadata = grpcMetadata(context);
    candidates.push(...metadata.get('x-api-key').map(String));
    for (const value of metadata.get('authorization').map(String)) {
      const match = API_KEY_SCHEME.exec(value);
      if (match) candidates.push(match[1] as string);
    }
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
