import { deflateSync } from 'node:zlib';

/**
 * Pictures for the demo's scripted detections, drawn here so the embedded default needs no image
 * files: a street snapshot with a car and its number plate, and a face crop silhouette. They are
 * uploaded with the detection like a vendor's snapshot and land in recognition's media store.
 */

const FONT: Record<string, string[]> = {
  '0': ['01110', '10001', '10011', '10101', '11001', '10001', '01110'],
  '1': ['00100', '01100', '00100', '00100', '00100', '00100', '01110'],
  '2': ['01110', '10001', '00001', '00010', '00100', '01000', '11111'],
  '3': ['11110', '00001', '00001', '01110', '00001', '00001', '11110'],
  '4': ['00010', '00110', '01010', '10010', '11111', '00010', '00010'],
  '5': ['11111', '10000', '11110', '00001', '00001', '10001', '01110'],
  '6': ['00110', '01000', '10000', '11110', '10001', '10001', '01110'],
  '7': ['11111', '00001', '00010', '00100', '01000', '01000', '01000'],
  '8': ['01110', '10001', '10001', '01110', '10001', '10001', '01110'],
  '9': ['01110', '10001', '10001', '01111', '00001', '00010', '01100'],
  A: ['01110', '10001', '10001', '11111', '10001', '10001', '10001'],
  B: ['11110', '10001', '10001', '11110', '10001', '10001', '11110'],
  C: ['01110', '10001', '10000', '10000', '10000', '10001', '01110'],
  K: ['10001', '10010', '10100', '11000', '10100', '10010', '10001'],
  X: ['10001', '10001', '01010', '00100', '01010', '10001', '10001'],
  Y: ['10001', '10001', '01010', '00100', '00100', '00100', '00100'],
  Z: ['11111', '00001', '00010', '00100', '01000', '10000', '11111'],
};
const BLANK = ['00000', '00000', '00000', '00000', '00000', '00000', '00000'];

class Raster {
  readonly pixels: Buffer;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.pixels = Buffer.alloc(width * height * 3);
  }

  rect(x: number, y: number, w: number, h: number, [r, g, b]: [number, number, number]) {
    for (let yy = Math.max(0, y); yy < Math.min(this.height, y + h); yy++) {
      for (let xx = Math.max(0, x); xx < Math.min(this.width, x + w); xx++) {
        const i = (yy * this.width + xx) * 3;
        this.pixels[i] = r;
        this.pixels[i + 1] = g;
        this.pixels[i + 2] = b;
      }
    }
  }

  ellipse(cx: number, cy: number, rx: number, ry: number, colour: [number, number, number]) {
    for (let y = -ry; y <= ry; y++) {
      const half = Math.round(rx * Math.sqrt(Math.max(0, 1 - (y * y) / (ry * ry))));
      this.rect(cx - half, cy + y, half * 2, 1, colour);
    }
  }

  text(x: number, y: number, text: string, scale: number, colour: [number, number, number]) {
    [...text].forEach((char, n) => {
      const glyph = FONT[char] ?? BLANK;
      glyph.forEach((row, gy) =>
        [...row].forEach((bit, gx) => {
          if (bit === '1') this.rect(x + n * 6 * scale + gx * scale, y + gy * scale, scale, scale, colour);
        }),
      );
    });
  }

  png(): Buffer {
    const raw = Buffer.alloc((this.width * 3 + 1) * this.height);
    for (let y = 0; y < this.height; y++) {
      raw[y * (this.width * 3 + 1)] = 0;
      this.pixels.copy(raw, y * (this.width * 3 + 1) + 1, y * this.width * 3, (y + 1) * this.width * 3);
    }
    const header = Buffer.alloc(13);
    header.writeUInt32BE(this.width, 0);
    header.writeUInt32BE(this.height, 4);
    header.set([8, 2, 0, 0, 0], 8);
    return Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(raw)),
      chunk('IEND', Buffer.alloc(0)),
    ]);
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const CAR_COLOURS: Record<string, [number, number, number]> = {
  white: [225, 225, 220],
  black: [30, 30, 34],
  silver: [170, 175, 180],
  red: [170, 30, 35],
  blue: [35, 70, 150],
};

/** A snapshot of a car from behind, its plate readable. */
export function plateSnapshot(plate: string, colour: string): Buffer {
  const image = new Raster(480, 300);
  image.rect(0, 0, 480, 300, [52, 56, 60]);
  image.rect(0, 250, 480, 50, [80, 80, 80]);
  for (let x = 10; x < 480; x += 80) image.rect(x, 272, 40, 6, [220, 220, 200]);
  const body = CAR_COLOURS[colour] ?? CAR_COLOURS.white!;
  image.rect(90, 80, 300, 150, body);
  image.rect(130, 40, 220, 60, body);
  image.rect(145, 50, 190, 40, [60, 80, 100]);
  image.rect(100, 110, 50, 20, [200, 40, 40]);
  image.rect(330, 110, 50, 20, [200, 40, 40]);
  image.rect(60, 215, 70, 40, [20, 20, 20]);
  image.rect(350, 215, 70, 40, [20, 20, 20]);
  const text = plate.slice(0, 9);
  const scale = 3;
  const width = text.length * 6 * scale + 16;
  const x = 240 - Math.round(width / 2);
  image.rect(x - 2, 158, width + 4, 7 * scale + 16, [10, 10, 10]);
  image.rect(x, 160, width, 7 * scale + 12, [245, 245, 245]);
  image.rect(x, 160, 8, 7 * scale + 12, [30, 90, 170]);
  image.text(x + 12, 166, text, scale, [10, 10, 10]);
  return image.png();
}

/** A face crop as a silhouette (no real person's face in a demo). */
export function faceCrop(): Buffer {
  const image = new Raster(200, 240);
  image.rect(0, 0, 200, 240, [70, 90, 110]);
  image.ellipse(100, 230, 90, 60, [40, 50, 60]);
  image.ellipse(100, 100, 48, 62, [205, 170, 140]);
  image.ellipse(100, 52, 52, 26, [40, 30, 25]);
  image.rect(78, 92, 12, 6, [40, 40, 40]);
  image.rect(110, 92, 12, 6, [40, 40, 40]);
  image.rect(88, 130, 24, 5, [150, 80, 80]);
  return image.png();
}
