import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A sample payload from test/fixtures, written after the vendor's public documentation. */
export function fixture(name: string): Buffer {
  return readFileSync(join(__dirname, 'fixtures', name));
}

/** A tiny valid JPEG (SOI, a comment, EOI) standing for a vendor picture. */
export function jpeg(label: string): Buffer {
  const comment = Buffer.from(label);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(comment.length + 2);
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xfe]), length, comment, Buffer.from([0xff, 0xd9])]);
}

/** The multipart upload Hikvision devices make: the alert XML, then its pictures. */
export function hikvisionMultipart(
  xml: Buffer,
  pictures: { name: string; bytes: Buffer }[],
  boundary = 'MIME_boundary',
) {
  const parts: Buffer[] = [];
  const part = (headers: string, body: Buffer) =>
    parts.push(Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`), body, Buffer.from('\r\n'));
  part(
    `Content-Disposition: form-data; name="anpr.xml"; filename="anpr.xml"\r\nContent-Type: application/xml`,
    xml,
  );
  for (const p of pictures) {
    part(
      `Content-Disposition: form-data; name="${p.name}"; filename="${p.name}.jpg"\r\nContent-Type: image/jpeg`,
      p.bytes,
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
