import { IngestPayloadError } from '../ingest-problems';

export interface MultipartPart {
  name: string;
  filename: string;
  contentType: string;
  body: Buffer;
}

const MAX_PARTS = 16;

/**
 * A bounded `multipart/form-data` (or `multipart/mixed`) reader for the whole-body uploads vendors
 * make: the parts of an already-buffered body, or a 400 saying what is wrong with it.
 */
export function parseMultipart(bytes: Buffer, contentType: string): MultipartPart[] {
  const match = /boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) throw IngestPayloadError.of('content-type', 'multipart content needs a boundary');
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let position = bytes.indexOf(delimiter);
  if (position < 0) throw IngestPayloadError.of('body', 'holds no multipart boundary');
  for (;;) {
    const after = position + delimiter.length;
    // `--boundary--` closes the body.
    if (bytes[after] === 0x2d && bytes[after + 1] === 0x2d) break;
    const next = bytes.indexOf(delimiter, after);
    if (next < 0) throw IngestPayloadError.of('body', 'ends before its closing multipart boundary');
    if (parts.length >= MAX_PARTS)
      throw IngestPayloadError.of('body', `must hold at most ${MAX_PARTS} parts`);
    const part = bytes.subarray(after, next);
    const start = part.indexOf('\r\n') === 0 ? 2 : 0;
    const headerEnd = part.indexOf('\r\n\r\n', start);
    if (headerEnd < 0) throw IngestPayloadError.of(`part[${parts.length}]`, 'has no header section');
    const headers = part.subarray(start, headerEnd).toString('latin1');
    let body = part.subarray(headerEnd + 4);
    if (body.length >= 2 && body[body.length - 2] === 0x0d && body[body.length - 1] === 0x0a) {
      body = body.subarray(0, body.length - 2);
    }
    const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(headers)?.[1]?.trim() ?? '';
    const disposition = header('content-disposition');
    parts.push({
      name: /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? '',
      filename: /\bfilename="([^"]*)"/i.exec(disposition)?.[1] ?? '',
      contentType: header('content-type').toLowerCase(),
      body,
    });
    position = next;
  }
  return parts;
}
