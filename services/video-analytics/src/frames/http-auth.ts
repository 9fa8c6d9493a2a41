import { createHash, randomBytes } from 'node:crypto';
import type { MediaCredentials } from '@safecity/security';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/**
 * GET with the camera's credentials: Basic when the camera asks for it, Digest (RFC 7616, MD5,
 * qop=auth) as most IP cameras do. Credentials are sent only after a 401 names the scheme.
 */
export async function fetchWithCameraAuth(
  url: string,
  credentials: MediaCredentials | null,
  init: { timeoutMs: number; headers?: Record<string, string> },
): Promise<Response> {
  const headers = { ...(init.headers ?? {}) };
  const first = await fetchRetryingReset(url, {
    headers,
    signal: AbortSignal.timeout(init.timeoutMs),
    redirect: 'error',
  });
  if (first.status !== 401 || !credentials) return first;
  const challenge = first.headers.get('www-authenticate') ?? '';
  await first.arrayBuffer().catch(() => undefined);
  let authorization: string;
  if (/^digest/i.test(challenge)) authorization = digest(challenge, url, credentials);
  else if (/^basic/i.test(challenge)) {
    authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  } else return first;
  return fetchRetryingReset(url, {
    headers: { ...headers, authorization },
    signal: AbortSignal.timeout(init.timeoutMs),
    redirect: 'error',
  });
}

/**
 * A kept-alive connection the camera closed just as it was reused fails the request at once; one
 * retry on a fresh connection tells that apart from a camera that is down. Timeouts are not retried.
 */
async function fetchRetryingReset(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    if (!(error instanceof TypeError) || init.signal?.aborted) throw error;
    return fetch(url, init);
  }
}

function digest(challenge: string, url: string, c: MediaCredentials): string {
  const param = (name: string) => new RegExp(`${name}="?([^",]*)"?`, 'i').exec(challenge)?.[1] ?? '';
  const realm = param('realm');
  const nonce = param('nonce');
  const opaque = param('opaque');
  const qop = param('qop')
    .split(',')
    .map((q) => q.trim())
    .includes('auth')
    ? 'auth'
    : '';
  const { pathname, search } = new URL(url);
  const uri = pathname + search;
  const ha1 = md5(`${c.username}:${realm}:${c.password}`);
  const ha2 = md5(`GET:${uri}`);
  const cnonce = randomBytes(8).toString('hex');
  const nc = '00000001';
  const response = qop ? md5(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : md5(`${ha1}:${nonce}:${ha2}`);
  const parts = [
    `username="${c.username}"`,
    `realm="${realm}"`,
    `nonce="${nonce}"`,
    `uri="${uri}"`,
    `response="${response}"`,
    'algorithm=MD5',
  ];
  if (qop) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce="${cnonce}"`);
  if (opaque) parts.push(`opaque="${opaque}"`);
  return `Digest ${parts.join(', ')}`;
}
