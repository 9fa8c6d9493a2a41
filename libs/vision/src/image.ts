import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import sharp from 'sharp';

/** An 8-bit RGB picture held in memory only: frames and photos are never written anywhere. */
export interface RgbImage {
  width: number;
  height: number;
  /** Row-major, three bytes a pixel. */
  data: Uint8Array;
}

/** The largest picture decoded: 4096 × 4096 (48 MiB of RGB) bounds the memory a request can take. */
export const MAX_IMAGE_PIXELS = 4096 * 4096;

export class ImageDecodeError extends Error {}

/** JPEG or PNG bytes to RGB, by their magic numbers; anything else is refused. */
export function decodeImage(bytes: Uint8Array): RgbImage {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length > 3 && buffer[0] === 0xff && buffer[1] === 0xd8 && buffer[2] === 0xff) {
    try {
      const decoded = jpeg.decode(buffer, {
        useTArray: true,
        formatAsRGBA: false,
        maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6,
        maxMemoryUsageInMB: 256,
      });
      return { width: decoded.width, height: decoded.height, data: decoded.data };
    } catch (error) {
      throw new ImageDecodeError(`not a readable JPEG: ${(error as Error).message}`);
    }
  }
  if (buffer.length > 8 && buffer.readUInt32BE(0) === 0x89504e47) {
    // The header's size is checked before the pixels are inflated.
    const width = buffer.length >= 24 ? buffer.readUInt32BE(16) : 0;
    const height = buffer.length >= 24 ? buffer.readUInt32BE(20) : 0;
    if (width * height > MAX_IMAGE_PIXELS) {
      throw new ImageDecodeError(`a ${width}×${height} picture is larger than ${MAX_IMAGE_PIXELS} pixels`);
    }
    let png: PNG;
    try {
      png = PNG.sync.read(buffer);
    } catch (error) {
      throw new ImageDecodeError(`not a readable PNG: ${(error as Error).message}`);
    }
    return fromRgba(png.width, png.height, png.data);
  }
  throw new ImageDecodeError('must be a JPEG or PNG picture');
}

/**
 * JPEG or PNG bytes to RGB with libvips (the `sharp` package): about a tenth of the CPU of the
 * pure-JavaScript decoders, and off the event loop. What frames and photos from outside take.
 */
export async function readImage(bytes: Uint8Array): Promise<RgbImage> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const isJpeg = buffer.length > 3 && buffer[0] === 0xff && buffer[1] === 0xd8 && buffer[2] === 0xff;
  const isPng = buffer.length > 8 && buffer.readUInt32BE(0) === 0x89504e47;
  if (!isJpeg && !isPng) throw new ImageDecodeError('must be a JPEG or PNG picture');
  try {
    const { data, info } = await sharp(buffer, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`${info.channels} channels`);
    return {
      width: info.width,
      height: info.height,
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    };
  } catch (error) {
    throw new ImageDecodeError(`not a readable ${isJpeg ? 'JPEG' : 'PNG'}: ${(error as Error).message}`);
  }
}

export function fromRgba(width: number, height: number, rgba: Uint8Array): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; j < data.length; i += 4, j += 3) {
    data[j] = rgba[i];
    data[j + 1] = rgba[i + 1];
    data[j + 2] = rgba[i + 2];
  }
  return { width, height, data };
}

/** JPEG bytes of an RGB picture (snapshot servers and fixtures). */
export function encodeJpeg(image: RgbImage, quality = 90): Buffer {
  const rgba = Buffer.alloc(image.width * image.height * 4);
  for (let i = 0, j = 0; i < image.data.length; i += 3, j += 4) {
    rgba[j] = image.data[i];
    rgba[j + 1] = image.data[i + 1];
    rgba[j + 2] = image.data[i + 2];
    rgba[j + 3] = 255;
  }
  return jpeg.encode({ data: rgba, width: image.width, height: image.height }, quality).data;
}

/** A pixel box, clamped to the picture. */
export interface PixelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function crop(image: RgbImage, box: PixelBox): RgbImage {
  const x0 = Math.max(0, Math.floor(box.x));
  const y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(image.width, Math.ceil(box.x + box.width));
  const y1 = Math.min(image.height, Math.ceil(box.y + box.height));
  const width = Math.max(0, x1 - x0);
  const height = Math.max(0, y1 - y0);
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const from = ((y0 + y) * image.width + x0) * 3;
    data.set(image.data.subarray(from, from + width * 3), y * width * 3);
  }
  return { width, height, data };
}

/**
 * Sharpness of a region: the variance of the Laplacian of its luminance, after scaling the region
 * to 64 pixels wide so that big and small faces are judged alike. Sharp faces score in the
 * hundreds, blurred ones in the tens.
 */
export function sharpness(image: RgbImage, box: PixelBox): number {
  const side = 64;
  const gray = new Float32Array(side * side);
  const sx = box.width / side;
  const sy = box.height / side;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const px = Math.min(image.width - 1, Math.max(0, Math.floor(box.x + (x + 0.5) * sx)));
      const py = Math.min(image.height - 1, Math.max(0, Math.floor(box.y + (y + 0.5) * sy)));
      const i = (py * image.width + px) * 3;
      gray[y * side + x] = 0.299 * image.data[i] + 0.587 * image.data[i + 1] + 0.114 * image.data[i + 2];
    }
  }
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let y = 1; y < side - 1; y++) {
    for (let x = 1; x < side - 1; x++) {
      const c = y * side + x;
      const l = gray[c - 1] + gray[c + 1] + gray[c - side] + gray[c + side] - 4 * gray[c];
      sum += l;
      sumSq += l * l;
      n++;
    }
  }
  const mean = sum / n;
  return sumSq / n - mean * mean;
}
