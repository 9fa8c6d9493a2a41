import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crop, decodeImage, type RgbImage } from './image';

/*
 * Pictures for tests and benchmarks (see test/fixtures/README.md for their sources and licences)
 * and the changes a test makes to them: another crop, a mirror image, another exposure.
 */
const FIXTURES = join(__dirname, '..', 'test', 'fixtures');

export type FixturePhoto = 'astronaut' | 'cameraman';

export function fixturePhotoBytes(name: FixturePhoto): Buffer {
  return readFileSync(join(FIXTURES, `${name}.jpg`));
}

export function fixturePhoto(name: FixturePhoto): RgbImage {
  return decodeImage(fixturePhotoBytes(name));
}

export function mirrored(image: RgbImage): RgbImage {
  const data = new Uint8Array(image.data.length);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const from = (y * image.width + (image.width - 1 - x)) * 3;
      data.set(image.data.subarray(from, from + 3), (y * image.width + x) * 3);
    }
  }
  return { ...image, data };
}

export function exposed(image: RgbImage, factor: number): RgbImage {
  const data = new Uint8Array(image.data.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.min(255, Math.round(image.data[i] * factor));
  return { ...image, data };
}

export function cropped(image: RgbImage, x: number, y: number, width: number, height: number): RgbImage {
  return crop(image, { x, y, width, height });
}

/** Nearest-neighbour scaling. */
export function scaled(image: RgbImage, width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(image.height - 1, Math.floor(((y + 0.5) * image.height) / height));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(image.width - 1, Math.floor(((x + 0.5) * image.width) / width));
      const from = (sy * image.width + sx) * 3;
      data.set(image.data.subarray(from, from + 3), (y * width + x) * 3);
    }
  }
  return { width, height, data };
}

/** A box blur of the given radius (radius 4: a 9×9 box). */
export function blurred(image: RgbImage, radius: number): RgbImage {
  const pass = (src: Uint8Array, horizontal: boolean) => {
    const out = new Uint8Array(src.length);
    for (let y = 0; y < image.height; y++) {
      for (let x = 0; x < image.width; x++) {
        for (let c = 0; c < 3; c++) {
          let sum = 0;
          let n = 0;
          for (let d = -radius; d <= radius; d++) {
            const xx = horizontal ? x + d : x;
            const yy = horizontal ? y : y + d;
            if (xx < 0 || yy < 0 || xx >= image.width || yy >= image.height) continue;
            sum += src[(yy * image.width + xx) * 3 + c];
            n++;
          }
          out[(y * image.width + x) * 3 + c] = Math.round(sum / n);
        }
      }
    }
    return out;
  };
  return { ...image, data: pass(pass(image.data, true), false) };
}

/** Pictures side by side on one canvas (as tall as the tallest), the rest filled grey. */
export function sideBySide(...images: RgbImage[]): RgbImage {
  const width = images.reduce((w, i) => w + i.width, 0);
  const height = Math.max(...images.map((i) => i.height));
  const data = new Uint8Array(width * height * 3).fill(128);
  let left = 0;
  for (const image of images) {
    for (let y = 0; y < image.height; y++) {
      data.set(image.data.subarray(y * image.width * 3, (y + 1) * image.width * 3), (y * width + left) * 3);
    }
    left += image.width;
  }
  return { width, height, data };
}

/** A picture turned a quarter clockwise (a standing person becomes a lying one). */
export function turnedClockwise(image: RgbImage): RgbImage {
  const width = image.height;
  const height = image.width;
  const data = new Uint8Array(image.data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sx = y;
      const sy = image.height - 1 - x;
      const from = (sy * image.width + sx) * 3;
      data.set(image.data.subarray(from, from + 3), (y * width + x) * 3);
    }
  }
  return { width, height, data };
}

/** A plain picture of one colour: no face, no person. */
export function plain(width: number, height: number, value = 200): RgbImage {
  return { width, height, data: new Uint8Array(width * height * 3).fill(value) };
}
