/**
 * Imports an akimat's camera inventory (CSV or JSON) into one video system through the camera
 * registry's REST endpoint, the same path integrators use:
 *   npm run import:cameras -- --video-system <id> --file inventory.csv [--url http://127.0.0.1:3001]
 * Exits 0 when everything was imported, 1 when the registry refused the file (each problem is
 * printed as `line N, field F: reason`; nothing was imported) or could not be reached, 2 on usage.
 */
import { createReadStream, statSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';

const USAGE = `usage: npm run import:cameras -- --video-system <id> --file <inventory.csv|.json>
                                [--url <camera registry>] [--format csv|json] [--token <jwt>]

  --url     default CAMERA_REGISTRY_URL, else http://127.0.0.1:3001
  --format  default from the file's extension (.json is JSON, anything else CSV)
  --token   bearer token of an admin or region-admin, default SAFECITY_TOKEN; with the embedded
            default: SAFECITY_TOKEN=$(npm run -s token -- --role region-admin --region ALA)
`;

interface Problem {
  line: number;
  field: string;
  reason: string;
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** On a terminal one line redrawn in place; in a log a line per quarter. */
function uploadProgress(total: number) {
  const tty = process.stderr.isTTY;
  let sent = 0;
  let lastQuarter = -1;
  return {
    add(bytes: number) {
      sent += bytes;
      const percent = total === 0 ? 100 : Math.floor((sent / total) * 100);
      if (tty) {
        process.stderr.write(`\ruploading ${size(sent)} / ${size(total)} (${percent}%)`);
      } else if (Math.floor(percent / 25) > lastQuarter) {
        lastQuarter = Math.floor(percent / 25);
        process.stderr.write(`uploading ${size(sent)} / ${size(total)} (${percent}%)\n`);
      }
    },
    done() {
      if (tty) process.stderr.write('\n');
      process.stderr.write('uploaded; the registry is validating and importing…\n');
    },
  };
}

function describeProblem(p: Problem): string {
  const where = p.line > 0 ? `line ${p.line}` : 'file';
  return p.field ? `${where}, field ${p.field}: ${p.reason}` : `${where}: ${p.reason}`;
}

function post(url: URL, file: string, headers: Record<string, string | number>) {
  const bytes = statSync(file).size;
  const progress = uploadProgress(bytes);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = send(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': bytes } },
      (res: IncomingMessage) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.on('finish', () => progress.done());
    const stream = createReadStream(file);
    stream.on('data', (chunk) => progress.add(chunk.length));
    stream.on('error', reject);
    stream.pipe(req);
  });
}

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'video-system': { type: 'string' },
        file: { type: 'string' },
        url: { type: 'string' },
        format: { type: 'string' },
        token: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const system = values['video-system'];
  const file = values.file;
  if (values.help || !system || !file) {
    process.stderr.write(USAGE);
    return values.help ? 0 : 2;
  }
  const format = values.format ?? (extname(file).toLowerCase() === '.json' ? 'json' : 'csv');
  if (format !== 'csv' && format !== 'json') {
    process.stderr.write(`--format must be csv or json\n${USAGE}`);
    return 2;
  }
  const base = values.url ?? process.env.CAMERA_REGISTRY_URL ?? 'http://127.0.0.1:3001';
  const url = new URL(`/video-systems/${encodeURIComponent(system)}/cameras/import`, base);
  const token = values.token ?? process.env.SAFECITY_TOKEN;
  const headers: Record<string, string> = {
    'content-type': format === 'json' ? 'application/json' : 'text/csv; charset=utf-8',
    accept: 'application/json',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  };

  const started = performance.now();
  let response;
  try {
    response = await post(url, file, headers);
  } catch (error) {
    process.stderr.write(`cannot import ${file} into ${url.origin}: ${(error as Error).message}\n`);
    return 1;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  let body: {
    message?: string;
    problems?: Problem[];
    created?: number;
    updated?: number;
    unchanged?: number;
    total?: number;
  };
  try {
    body = JSON.parse(response.body);
  } catch {
    body = { message: response.body.slice(0, 500) };
  }

  if (response.status === 200) {
    process.stdout.write(
      `imported ${body.total} cameras into video system ${system} in ${seconds} s: ` +
        `${body.created} created, ${body.updated} updated, ${body.unchanged} unchanged\n`,
    );
    return 0;
  }
  for (const problem of body.problems ?? []) process.stdout.write(`${describeProblem(problem)}\n`);
  process.stderr.write(`HTTP ${response.status}: ${body.message ?? 'the import failed'}\n`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
