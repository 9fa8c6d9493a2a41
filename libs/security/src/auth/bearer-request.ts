import type { IncomingMessage, ServerResponse } from 'node:http';
import { attachRequestPrincipal, type HttpRequestLike } from './call-context';
import { AuthenticationError, type TokenVerifier } from './jwt-verifier';

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Authenticates an HTTP request's bearer token from its headers alone, before anything reads its
 * body, as `authenticateApiKeyRequest` does for API keys: a caller without a valid token is
 * answered 401 at once and its body is never buffered. On success the request carries the
 * principal, which the `AuthGuard` then only authorizes. Resolves whether the request may go on.
 */
export async function authenticateBearerRequest(
  verifier: TokenVerifier,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const header = req.headers['authorization'];
  const match = typeof header === 'string' ? BEARER.exec(header) : null;
  let reason = 'no bearer token';
  if (match) {
    const token = match[1] as string;
    try {
      const principal = verifier.verifiedRecently?.(token) ?? (await verifier.verify(token));
      attachRequestPrincipal(req as HttpRequestLike, principal);
      return true;
    } catch (error) {
      // Never the token, nor a verifier's internal message, in the answer.
      reason = error instanceof AuthenticationError ? error.message : 'token invalid';
    }
  } else if (header !== undefined) {
    reason = 'Authorization must be "Bearer <token>"';
  }
  res.statusCode = 401;
  res.setHeader('WWW-Authenticate', 'Bearer realm="safecity"');
  res.setHeader('content-type', 'application/json; charset=utf-8');
  // The unread body is not wanted: close the connection after the answer instead of reading it.
  res.setHeader('connection', 'close');
  res.end(JSON.stringify({ statusCode: 401, error: 'Unauthorized', message: reason }));
  return false;
}
