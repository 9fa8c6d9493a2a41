import { All, Controller, Inject, Logger, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ConsoleAuth, ConsoleAuthError } from '../auth/console-auth';
import { CONSOLE_SETTINGS, type ConsoleSettings, type Upstreams } from '../console-settings';

/** Request headers the application may send on to a service; everything else (cookies!) stays here. */
const FORWARDED_REQUEST_HEADERS = [
  'accept',
  'accept-language',
  'content-type',
  'content-length',
  'last-event-id',
  'x-purpose',
  'if-none-match',
];
/** Response headers passed back; set-cookie of a service never reaches the browser. */
const FORWARDED_RESPONSE_HEADERS = [
  'content-type',
  'content-length',
  'cache-control',
  'retry-after',
  'etag',
  'x-accel-buffering',
];

/**
 * `/api/<service>/<path>`: the application's calls to the platform's services, sent on with the
 * signed-in user's access token, which the browser never sees. Bodies and answers are streamed as
 * they are, so a CSV import's upload progress and the live stream's events pass through at once,
 * and the services' refusals (401, 403, 404, 409 with the allowed steps, 422 naming the field)
 * reach the application unchanged.
 */
@Controller('api')
export class ApiProxyController {
  private readonly logger = new Logger('console:api');

  constructor(
    private readonly auth: ConsoleAuth,
    @Inject(CONSOLE_SETTINGS) private readonly settings: ConsoleSettings,
  ) {}

  @All(':service/*path')
  async forward(@Req() req: Request, @Res() res: Response) {
    const name = req.params['service'] as keyof Upstreams;
    const base = Object.hasOwn(this.settings.upstreams, name) ? this.settings.upstreams[name] : undefined;
    if (!base) return this.refuse(res, 404, 'unknown-service', `no service ${String(name)}`);
    let session;
    try {
      session = await this.auth.authorize(req);
    } catch (error) {
      if (error instanceof ConsoleAuthError) return this.refuse(res, error.status, error.code, error.message);
      throw error;
    }
    const prefix = `/api/${name}`;
    const target = new URL(base.replace(/\/$/, '') + req.originalUrl.slice(prefix.length));
    const headers: Record<string, string> = { authorization: `Bearer ${session.tokens.accessToken}` };
    for (const header of FORWARDED_REQUEST_HEADERS) {
      const value = req.headers[header];
      if (typeof value === 'string') headers[header] = value;
    }
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const upstream = send(target, { method: req.method, headers }, (answer) => {
      res.status(answer.statusCode ?? 502);
      copyHeaders(answer.headers, res);
      if (!answer.headers['cache-control']) res.setHeader('cache-control', 'no-store');
      const eventStream = String(answer.headers['content-type'] ?? '').startsWith('text/event-stream');
      if (eventStream) {
        res.setHeader('x-accel-buffering', 'no');
        res.flushHeaders();
        req.socket.setNoDelay(true);
      }
      answer.pipe(res);
      answer.on('error', () => res.destroy());
    });
    upstream.on('error', (error) => {
      this.logger.warn({ msg: 'service unreachable', service: name, error: String(error) });
      if (!res.headersSent)
        this.refuse(res, 502, 'service-unavailable', `${name} does not answer; try again`);
      else res.destroy();
    });
    // The browser went away (a closed stream, a navigation): stop the service's side too.
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  }

  private refuse(res: Response, status: number, code: string, message: string) {
    res.status(status).setHeader('cache-control', 'no-store');
    res.json({ statusCode: status, code, message });
  }
}

function copyHeaders(from: IncomingHttpHeaders, res: Response) {
  for (const header of FORWARDED_RESPONSE_HEADERS) {
    const value = from[header];
    if (value !== undefined) res.setHeader(header, value);
  }
}
