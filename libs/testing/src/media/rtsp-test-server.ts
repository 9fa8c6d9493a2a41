import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';

/**
 * A small RTSP server for tests, on loopback: it serves one H.264 stream that ffmpeg encodes from
 * the given ffmpeg input arguments (e.g. `testsrc` with a fixture face overlaid), packetised as
 * RTP (RFC 6184: single NAL units and FU-A fragments) interleaved on the RTSP connection (TCP).
 * Each client that plays gets its own encoder, started at PLAY and killed at TEARDOWN or close.
 * With credentials it answers 401 until the client sends them (Basic).
 */
export interface RtspTestServerOptions {
  /** ffmpeg input and filter arguments producing the picture, before the encoder's. */
  input: string[];
  frameRate: number;
  credentials?: { username: string; password: string };
}

export class RtspTestServer {
  private server: Server | null = null;
  private readonly encoders = new Set<ChildProcess>();
  private readonly sockets = new Set<Socket>();
  port = 0;
  /** Clients that were refused for lacking or wrong credentials. */
  refused = 0;
  /** PLAY requests served. */
  plays = 0;

  constructor(private readonly options: RtspTestServerOptions) {}

  url(path = 'stream'): string {
    return `rtsp://127.0.0.1:${this.port}/${path}`;
  }

  async start(): Promise<void> {
    this.server = createServer((socket) => this.serve(socket));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  async stop(): Promise<void> {
    for (const encoder of this.encoders) encoder.kill('SIGKILL');
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Drops every client (a camera restarting): they must reconnect. */
  dropClients(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  private serve(socket: Socket) {
    this.sockets.add(socket);
    let buffer = '';
    let encoder: ChildProcess | null = null;
    const session = String(Math.floor(Math.random() * 1e9));
    const close = () => {
      encoder?.kill('SIGKILL');
      this.sockets.delete(socket);
    };
    socket.on('close', close);
    socket.on('error', close);
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      let end: number;
      while ((end = buffer.indexOf('\r\n\r\n')) >= 0) {
        const request = buffer.slice(0, end);
        buffer = buffer.slice(end + 4);
        const [line, ...headerLines] = request.split('\r\n');
        const [method, uri] = line.split(' ');
        const headers = new Map(
          headerLines.map((h) => [
            h.slice(0, h.indexOf(':')).trim().toLowerCase(),
            h.slice(h.indexOf(':') + 1).trim(),
          ]),
        );
        const cseq = headers.get('cseq') ?? '0';
        const reply = (status: string, extra: Record<string, string> = {}, body = '') => {
          const head = [
            `RTSP/1.0 ${status}`,
            `CSeq: ${cseq}`,
            ...Object.entries(extra).map(([k, v]) => `${k}: ${v}`),
          ];
          if (body) head.push(`Content-Length: ${Buffer.byteLength(body)}`);
          socket.write(`${head.join('\r\n')}\r\n\r\n${body}`);
        };
        if (method !== 'OPTIONS' && !this.authorised(headers.get('authorization'))) {
          this.refused++;
          reply('401 Unauthorized', { 'WWW-Authenticate': 'Basic realm="test camera"' });
          continue;
        }
        switch (method) {
          case 'OPTIONS':
            reply('200 OK', { Public: 'OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN' });
            break;
          case 'DESCRIBE': {
            const sdp = [
              'v=0',
              'o=- 0 0 IN IP4 127.0.0.1',
              's=Safe City test camera',
              'c=IN IP4 0.0.0.0',
              't=0 0',
              'm=video 0 RTP/AVP 96',
              'a=rtpmap:96 H264/90000',
              'a=fmtp:96 packetization-mode=1',
              'a=control:trackID=0',
              '',
            ].join('\r\n');
            reply('200 OK', { 'Content-Base': `${uri}/`, 'Content-Type': 'application/sdp' }, sdp);
            break;
          }
          case 'SETUP':
            reply('200 OK', { Session: session, Transport: 'RTP/AVP/TCP;unicast;interleaved=0-1' });
            break;
          case 'PLAY':
            this.plays++;
            reply('200 OK', { Session: session, Range: 'npt=0.000-' });
            encoder?.kill('SIGKILL');
            encoder = this.encode(socket);
            break;
          case 'TEARDOWN':
            encoder?.kill('SIGKILL');
            encoder = null;
            reply('200 OK', { Session: session });
            break;
          default:
            reply('501 Not Implemented');
        }
      }
    });
  }

  private authorised(header: string | undefined): boolean {
    const c = this.options.credentials;
    if (!c) return true;
    return header === `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
  }

  private encode(socket: Socket): ChildProcess {
    const { frameRate } = this.options;
    const encoder = spawn(
      'ffmpeg',
      [
        '-nostdin',
        '-hide_banner',
        '-loglevel',
        'error',
        '-re',
        ...this.options.input,
        '-an',
        '-r',
        String(frameRate),
        '-pix_fmt',
        'yuv420p',
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-tune',
        'zerolatency',
        '-threads',
        '1',
        '-bf',
        '0',
        '-g',
        String(Math.max(1, Math.round(frameRate))),
        '-x264-params',
        'aud=1:repeat-headers=1',
        '-f',
        'h264',
        'pipe:1',
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    this.encoders.add(encoder);
    encoder.on('close', () => this.encoders.delete(encoder));
    const packetiser = new H264Packetiser(frameRate, (packet) => {
      if (socket.destroyed) return;
      const head = Buffer.alloc(4);
      head[0] = 0x24;
      head[1] = 0;
      head.writeUInt16BE(packet.length, 2);
      socket.write(Buffer.concat([head, packet]));
    });
    encoder.stdout!.on('data', (chunk: Buffer) => packetiser.push(chunk));
    return encoder;
  }
}

/** Annex B H.264 to RTP packets; access units are delimited by the encoder's AUD NAL units. */
class H264Packetiser {
  private pending = Buffer.alloc(0);
  private sequence = Math.floor(Math.random() * 65535);
  private timestamp = Math.floor(Math.random() * 2 ** 31);
  private started = false;
  private readonly ssrc = Math.floor(Math.random() * 2 ** 32);

  constructor(
    private readonly frameRate: number,
    private readonly send: (packet: Buffer) => void,
  ) {}

  push(chunk: Buffer) {
    this.pending = Buffer.concat([this.pending, chunk]);
    // Every NAL unit but the last, which may still be incomplete.
    const starts: { at: number; len: number }[] = [];
    for (let i = 0; i + 3 < this.pending.length; i++) {
      if (this.pending[i] === 0 && this.pending[i + 1] === 0) {
        if (this.pending[i + 2] === 1) starts.push({ at: i, len: 3 });
        else if (this.pending[i + 2] === 0 && this.pending[i + 3] === 1) {
          starts.push({ at: i, len: 4 });
          i++;
        }
      }
    }
    for (let k = 0; k + 1 < starts.length; k++) {
      this.nal(this.pending.subarray(starts[k].at + starts[k].len, starts[k + 1].at));
    }
    if (starts.length > 0) this.pending = this.pending.subarray(starts[starts.length - 1].at);
  }

  private nal(nal: Buffer) {
    if (nal.length === 0) return;
    const type = nal[0] & 0x1f;
    if (type === 9) {
      if (this.started) this.timestamp = (this.timestamp + Math.round(90_000 / this.frameRate)) >>> 0;
      this.started = true;
      return;
    }
    const last = type === 1 || type === 5;
    const max = 1_400;
    if (nal.length <= max) {
      this.packet(nal, last);
      return;
    }
    const indicator = (nal[0] & 0xe0) | 28;
    for (let offset = 1; offset < nal.length; offset += max) {
      const end = Math.min(nal.length, offset + max);
      const header = (offset === 1 ? 0x80 : 0) | (end === nal.length ? 0x40 : 0) | type;
      this.packet(
        Buffer.concat([Buffer.from([indicator, header]), nal.subarray(offset, end)]),
        last && end === nal.length,
      );
    }
  }

  private packet(payload: Buffer, marker: boolean) {
    const header = Buffer.alloc(12);
    header[0] = 0x80;
    header[1] = (marker ? 0x80 : 0) | 96;
    header.writeUInt16BE(this.sequence, 2);
    this.sequence = (this.sequence + 1) & 0xffff;
    header.writeUInt32BE(this.timestamp, 4);
    header.writeUInt32BE(this.ssrc, 8);
    this.send(Buffer.concat([header, payload]));
  }
}
