/** Calls to the platform's services through the console (`/api/<service>/…`); never a token here. */

export type Service = 'camera-registry' | 'recognition' | 'incidents' | 'prevention';

export interface SessionInfo {
  user: { subject: string; name: string; roles: string[]; regions: string[] | 'all' };
  csrfToken: string;
  expiresAt: string;
  map: { tileUrl: string | null; tileAttribution: string | null };
}

/** A refusal as the service sent it: status, message, the field it names, the steps it allows. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problems: { field: string; reason: string; line?: number }[] = [],
    readonly allowedTransitions: string[] | null = null,
    readonly code: string | null = null,
    readonly retryAfter: string | null = null,
  ) {
    super(message);
  }
}

let csrfToken = '';
export function setCsrfToken(token: string) {
  csrfToken = token;
}

export function signIn(lang: string) {
  const returnTo = location.pathname + location.search;
  location.assign(`/auth/login?returnTo=${encodeURIComponent(returnTo)}&lang=${lang}`);
}

export async function loadSession(): Promise<SessionInfo | null> {
  const response = await fetch('/auth/session', { credentials: 'same-origin' });
  if (response.status === 401) return null;
  if (!response.ok) throw new ApiError(response.status, `session: ${response.status}`);
  const session = (await response.json()) as SessionInfo;
  setCsrfToken(session.csrfToken);
  return session;
}

export async function signOut(): Promise<string | null> {
  const response = await fetch('/auth/logout', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'x-csrf-token': csrfToken },
  });
  const body = (await response.json().catch(() => ({}))) as { logoutUrl?: string | null };
  return body.logoutUrl ?? null;
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  /** Why personal data is read; sent as `X-Purpose` (percent-encoded UTF-8). */
  purpose?: string;
  signal?: AbortSignal;
}

export function apiUrl(service: Service, path: string): string {
  return `/api/${service}${path}`;
}

export async function errorOf(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  const message = body
    ? Array.isArray(body['message'])
      ? (body['message'] as string[]).join('; ')
      : String(body['message'] ?? response.statusText)
    : response.statusText;
  return new ApiError(
    response.status,
    message,
    Array.isArray(body?.['problems'])
      ? (body!['problems'] as { field: string; reason: string; line?: number }[])
      : [],
    Array.isArray(body?.['allowedTransitions']) ? (body!['allowedTransitions'] as string[]) : null,
    typeof body?.['code'] === 'string' ? (body!['code'] as string) : null,
    response.headers.get('retry-after'),
  );
}

/** Listeners told when the console says the session is over (the application offers to sign in). */
const sessionEndListeners = new Set<() => void>();
export function onSessionEnd(listener: () => void): () => void {
  sessionEndListeners.add(listener);
  return () => sessionEndListeners.delete(listener);
}

export async function call<T = unknown>(
  service: Service,
  path: string,
  options: CallOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const method = options.method ?? (options.body === undefined ? 'GET' : 'POST');
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.purpose) headers['x-purpose'] = encodeURIComponent(options.purpose);
  const response = await fetch(apiUrl(service, path), {
    method,
    headers,
    credentials: 'same-origin',
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  if (!response.ok) {
    const error = await errorOf(response);
    if (response.status === 401 && (error.code === 'signed-out' || error.code === 'session-expired')) {
      for (const listener of sessionEndListeners) listener();
    }
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  return (type.includes('json') ? await response.json() : await response.text()) as T;
}

/**
 * Uploads a file with progress (XMLHttpRequest: fetch has no upload progress), answering like
 * `call`.
 */
export function upload<T>(
  service: Service,
  path: string,
  file: Blob,
  contentType: string,
  onProgress: (fraction: number) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', apiUrl(service, path));
    xhr.setRequestHeader('content-type', contentType);
    xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onerror = () => reject(new ApiError(0, 'network'));
    xhr.onload = () => {
      const response = new Response(xhr.responseText, {
        status: xhr.status,
        headers: { 'content-type': xhr.getResponseHeader('content-type') ?? 'application/json' },
      });
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(JSON.parse(xhr.responseText || 'null') as T);
      } else {
        void errorOf(response).then(reject);
      }
    };
    xhr.send(file);
  });
}
