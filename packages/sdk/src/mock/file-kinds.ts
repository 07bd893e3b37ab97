/**
 * What a file is, by its first bytes (never its name or declared type), as the platform decides
 * it, for the formats a channel's `uploads.types` may name. A small table of magic numbers, not
 * the platform's file-type library: it tells the formats apart, it does not validate them.
 */
import type { UploadType } from '@elitewebchat/protocol';

export const IMAGE_TYPES: ReadonlySet<UploadType> = new Set<UploadType>(['png', 'jpg', 'gif', 'webp']);
export const VOICE_TYPES: ReadonlySet<UploadType> = new Set<UploadType>(['amr', 'mp3', 'm4a', 'wav', 'ogg']);
export const VIDEO_TYPES: ReadonlySet<UploadType> = new Set<UploadType>(['mp4', 'mov', 'webm']);

const ascii = (bytes: Uint8Array, at: number, length: number) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1', at, at + length);
const startsWith = (bytes: Uint8Array, ...prefix: number[]) => prefix.every((b, i) => bytes[i] === b);
const contains = (bytes: Uint8Array, text: string) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(text, 0, 'latin1');

/** In order: the first that matches decides. */
const SIGNATURES: [UploadType | ((bytes: Uint8Array) => UploadType | undefined), (bytes: Uint8Array) => boolean][] = [
  ['png', (b) => startsWith(b, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)],
  ['jpg', (b) => startsWith(b, 0xff, 0xd8, 0xff)],
  ['gif', (b) => ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a'],
  ['webp', (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP'],
  ['wav', (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WAVE'],
  ['pdf', (b) => ascii(b, 0, 5) === '%PDF-'],
  ['amr', (b) => ascii(b, 0, 5) === '#!AMR'],
  // An ID3 tag, or an MPEG audio frame of layer III (sync 11 bits, layer bits 01).
  ['mp3', (b) => ascii(b, 0, 3) === 'ID3' || (b[0] === 0xff && ((b[1] ?? 0) & 0xe6) === 0xe2)],
  ['ogg', (b) => ascii(b, 0, 4) === 'OggS'],
  // ISO base media: "ftyp" and a brand (M4A/M4B audio, qt QuickTime, 3GPP none of ours, else MP4).
  [(b) => isoBrand(ascii(b, 8, 4)), (b) => ascii(b, 4, 4) === 'ftyp'],
  ['mov', (b) => ['moov', 'mdat', 'wide', 'free'].includes(ascii(b, 4, 4))],
  // Matroska; WebM says so in its header.
  [(b) => (contains(b.subarray(0, 64), 'webm') ? 'webm' : undefined), (b) => startsWith(b, 0x1a, 0x45, 0xdf, 0xa3)],
  // ZIP; Office files name their parts.
  [(b) => (!contains(b, '[Content_Types].xml') ? 'zip' : contains(b, 'word/') ? 'docx' : contains(b, 'xl/') ? 'xlsx' : contains(b, 'ppt/') ? 'pptx' : 'zip'), (b) => startsWith(b, 0x50, 0x4b, 0x03, 0x04)],
  ['rar', (b) => ascii(b, 0, 6) === 'Rar!\x1a\x07'],
  ['7z', (b) => startsWith(b, 0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c)],
];

function isoBrand(brand: string): UploadType | undefined {
  if (brand === 'M4A ' || brand === 'M4B ' || brand === 'M4P ') return 'm4a';
  if (brand === 'qt  ') return 'mov';
  if (brand.startsWith('3g')) return undefined;
  return 'mp4';
}

/** The format of these bytes, or undefined when it is none a channel can take. */
export function detectType(bytes: Uint8Array): UploadType | undefined {
  for (const [type, matches] of SIGNATURES) if (matches(bytes)) return typeof type === 'function' ? type(bytes) : type;
  return undefined;
}
