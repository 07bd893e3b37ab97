/**
 * Reading a 2002 image: an HTML5 data URI, decoded and recognised by its bytes (the declared
 * type is not trusted). Only PNG, JPEG, GIF and WebP are images here; SVG can carry script.
 */

export type ImageMime = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';

export interface DecodedImage {
  mime: ImageMime;
  bytes: Buffer;
  width: number;
  height: number;
}

export class ImageError extends Error {}

const DATA_URI = /^data:([a-z0-9.+/-]*)((?:;[a-z0-9-]+=[^;,]*)*)(;base64)?,/i;
const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

export function decodeImageDataUri(uri: string, maxBytes: number, maxPixels = 40_000_000): DecodedImage {
  const head = DATA_URI.exec(uri.slice(0, 512));
  if (!head) throw new ImageError('imgData is not a data URI (expected data:image/png;base64,...)');
  if (!head[3]) throw new ImageError('imgData must be base64-encoded (data:image/...;base64,...)');
  const payload = uri.slice(head[0].length);
  // Checked before decoding: base64 is 4 characters for every 3 bytes.
  if (Math.floor((payload.replace(/\s/g, '').length * 3) / 4) > maxBytes + 2) {
    throw new ImageError(`image is larger than the ${maxBytes} byte limit`);
  }
  if (!BASE64.test(payload)) throw new ImageError('imgData is not valid base64');
  return decodeImageBytes(Buffer.from(payload, 'base64'), maxBytes, maxPixels);
}

/** Bytes that must be a PNG, JPEG, GIF or WebP image, recognised by their signature. */
export function decodeImageBytes(bytes: Buffer, maxBytes: number, maxPixels = 40_000_000): DecodedImage {
  if (bytes.length === 0) throw new ImageError('the image holds no bytes');
  if (bytes.length > maxBytes) throw new ImageError(`image is larger than the ${maxBytes} byte limit`);
  const info = sniff(bytes);
  if (!info) throw new ImageError('the image is not a PNG, JPEG, GIF or WebP image (by its bytes)');
  if (info.width <= 0 || info.height <= 0) throw new ImageError('image has no size in its header');
  if (info.width * info.height > maxPixels) {
    throw new ImageError(`image is ${info.width}×${info.height}, over the ${maxPixels} pixel limit`);
  }
  return { ...info, bytes };
}

function sniff(b: Buffer): { mime: ImageMime; width: number; height: number } | undefined {
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47 && b.readUInt32BE(4) === 0x0d0a1a0a && b.toString('ascii', 12, 16) === 'IHDR') {
    return { mime: 'image/png', width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  }
  if (b.length >= 10 && (b.toString('ascii', 0, 6) === 'GIF87a' || b.toString('ascii', 0, 6) === 'GIF89a')) {
    return { mime: 'image/gif', width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return jpeg(b);
  if (b.length >= 30 && b.toString('ascii', 0, 4) === 'RIFF' && b.toString('ascii', 8, 12) === 'WEBP') return webp(b);
  return undefined;
}

function jpeg(b: Buffer): { mime: ImageMime; width: number; height: number } | undefined {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i += 1;
      continue;
    }
    const length = b.readUInt16BE(i + 2);
    // Start-of-frame markers carry the size; C4 (DHT), C8 and CC are not frames.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { mime: 'image/jpeg', height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
    }
    i += 2 + length;
  }
  return undefined;
}

function webp(b: Buffer): { mime: ImageMime; width: number; height: number } | undefined {
  const chunk = b.toString('ascii', 12, 16);
  if (chunk === 'VP8X') return { mime: 'image/webp', width: 1 + b.readUIntLE(24, 3), height: 1 + b.readUIntLE(27, 3) };
  if (chunk === 'VP8L') {
    const bits = b.readUInt32LE(21);
    return { mime: 'image/webp', width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff) };
  }
  if (chunk === 'VP8 ') return { mime: 'image/webp', width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
  return undefined;
}
