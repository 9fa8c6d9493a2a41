import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { CONSOLE_SETTINGS, type ConsoleSettings } from '../console-settings';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.wav': 'audio/wav',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/**
 * The built single-page application: hashed assets cached for good, everything else answered with
 * index.html (the application routes itself) under a strict Content Security Policy: scripts and
 * connections only from the console itself, images also from the map's tile server if one is set.
 */
@Controller()
export class WebAppController {
  private readonly csp: string;

  constructor(@Inject(CONSOLE_SETTINGS) private readonly settings: ConsoleSettings) {
    const tiles = settings.tileUrl ? ` ${new URL(settings.tileUrl.replace(/[{}]/g, '')).origin}` : '';
    this.csp = [
      "default-src 'self'",
      "script-src 'self'",
      // Leaflet positions its panes with inline styles.
      "style-src 'self' 'unsafe-inline'",
      `img-src 'self' data: blob:${tiles}`,
      "connect-src 'self'",
      "media-src 'self' data:",
      "font-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; ');
  }

  @Get('{*path}')
  async serve(@Req() req: Request, @Res() res: Response) {
    const root = this.settings.webRoot;
    const relative = normalize(decodeURIComponent(req.path)).replace(/^([/\\])+/, '');
    const file = join(root, relative);
    const inside = file === root || file.startsWith(root.endsWith(sep) ? root : root + sep);
    const found = inside && relative !== '' ? await stat(file).catch(() => null) : null;
    if (found?.isFile()) {
      res.setHeader('content-type', TYPES[extname(file)] ?? 'application/octet-stream');
      res.setHeader('content-length', found.size);
      res.setHeader(
        'cache-control',
        relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
      res.setHeader('x-content-type-options', 'nosniff');
      createReadStream(file).pipe(res);
      return;
    }
    if (relative.startsWith('assets/') || extname(relative)) {
      res.status(404).json({ statusCode: 404, message: 'not found' });
      return;
    }
    const index = join(root, 'index.html');
    const indexStat = await stat(index).catch(() => null);
    if (!indexStat) {
      res
        .status(503)
        .setHeader('retry-after', '5')
        .json({ statusCode: 503, message: 'the console is being built' });
      return;
    }
    res.setHeader('content-type', TYPES['.html']);
    res.setHeader('cache-control', 'no-cache');
    res.setHeader('content-security-policy', this.csp);
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'same-origin');
    createReadStream(index).pipe(res);
  }
}
