import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NodeMiddleware } from './raw-body';

/** The API answers JSON and event streams: nothing in it may load, run, frame or submit anything. */
export const API_CONTENT_SECURITY_POLICY =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Swagger UI at /docs: its own scripts and styles (its page has inline style blocks), data: images,
 * and calls to the API it documents — still never in a frame.
 */
export const DOCS_CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

function isDocsPath(url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0];
  return path === '/docs' || path.startsWith('/docs/');
}

/**
 * Headers on every HTTP answer of every service, errors and 404s included: browsers must not
 * sniff a JSON answer into HTML, frame a page of the platform, or send its URLs as referrers.
 */
export function securityHeaders(): NodeMiddleware {
  return function securityHeaders(req: IncomingMessage, res: ServerResponse, next) {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader(
      'content-security-policy',
      isDocsPath(req.url) ? DOCS_CONTENT_SECURITY_POLICY : API_CONTENT_SECURITY_POLICY,
    );
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('referrer-policy', 'no-referrer');
    next();
  };
}
