import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Backoff } from './backoff';
import { withoutUserInfo } from './frame-source';
import { fetchWithCameraAuth } from './http-auth';
import { onvifStreamUri } from './onvif';
import { authenticatedUrl } from './rtsp-reader';

const LOGIN = { username: 'viewer', password: 'p@ss:w/rd' };
const md5 = (s: string) => createHash('md5').update(s).digest('hex');

async function serve(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void) {
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => server.close(),
  };
}

describe('camera protocols', () => {
  it('answers a Digest challenge with a response the camera verifies', async () => {
    const nonce = 'abc123';
    const camera = await serve((req, _body, res) => {
      const auth = req.headers.authorization ?? '';
      const field = (n: string) => new RegExp(`${n}="?([^",]*)"?`).exec(auth)?.[1] ?? '';
      const ha1 = md5(`${LOGIN.username}:cam:${LOGIN.password}`);
      const ha2 = md5(`GET:${field('uri')}`);
      const expected = md5(`${ha1}:${nonce}:${field('nc')}:${field('cnonce')}:auth:${ha2}`);
      if (auth.startsWith('Digest') && field('response') === expected) {
        res.writeHead(200, { 'content-type': 'image/jpeg' }).end('frame');
      } else {
        res.writeHead(401, { 'www-authenticate': `Digest realm="cam", qop="auth", nonce="${nonce}"` }).end();
      }
    });
    try {
      const ok = await fetchWithCameraAuth(`${camera.url}/snapshot?ch=1`, LOGIN, { timeoutMs: 2_000 });
      expect(ok.status).toBe(200);
      const wrong = await fetchWithCameraAuth(
        `${camera.url}/snapshot`,
        { ...LOGIN, password: 'x' },
        { timeoutMs: 2_000 },
      );
      expect(wrong.status).toBe(401);
    } finally {
      camera.close();
    }
  });

  it('resolves an ONVIF profile to its RTSP URI with a WS-Security digest, never the password itself', async () => {
    let request = '';
    const device = await serve((_req, body, res) => {
      request = body;
      res
        .writeHead(200, { 'content-type': 'application/soap+xml' })
        .end(
          `<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:trt="http://www.onvif.org/ver10/media/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema"><s:Body><trt:GetStreamUriResponse><trt:MediaUri><tt:Uri>rtsp://10.20.0.15:554/Streaming/Channels/101</tt:Uri></trt:MediaUri></trt:GetStreamUriResponse></s:Body></s:Envelope>`,
        );
    });
    try {
      const uri = await onvifStreamUri(`${device.url}/onvif/media_service`, 'Profile_1', LOGIN);
      expect(uri).toBe('rtsp://10.20.0.15:554/Streaming/Channels/101');
      expect(request).toContain('<trt:ProfileToken>Profile_1</trt:ProfileToken>');
      expect(request).toContain('PasswordDigest');
      expect(request).not.toContain(LOGIN.password);
    } finally {
      device.close();
    }
  });

  it('puts credentials into the RTSP URL for ffmpeg only, and takes them out of anything reported', () => {
    const url = authenticatedUrl('rtsp://10.20.0.15:554/stream', { credentials: LOGIN, frameRate: 1 });
    expect(url).toBe('rtsp://viewer:p%40ss%3Aw%2Frd@10.20.0.15:554/stream');
    expect(withoutUserInfo(`ffmpeg: ${url}: 401 Unauthorized`)).toBe(
      'ffmpeg: rtsp://10.20.0.15:554/stream: 401 Unauthorized',
    );
  });

  it('backs off from a failing camera, doubling up to a minute, and starts again after a good frame', () => {
    const backoff = new Backoff();
    const waits = Array.from({ length: 9 }, () => backoff.next());
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    backoff.reset();
    expect(backoff.next()).toBe(1_000);
  });
});
