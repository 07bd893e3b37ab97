/**
 * What a file is, decided by its bytes (file-type reads the signatures, and inside ZIPs tells a
 * .docx from an .xlsx), never by the name or the type its sender declared. Each format is served
 * with one fixed content type, and only the formats a browser plays are ever shown in place.
 */
import { fileTypeFromBuffer } from 'file-type';
import { IMAGE_UPLOAD_TYPES, UPLOAD_TYPES, type UploadType } from '@elitewebchat/protocol';

export const FILE_MIME: Record<UploadType, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  zip: 'application/zip',
  rar: 'application/vnd.rar',
  '7z': 'application/x-7z-compressed',
  mp3: 'audio/mpeg',
  amr: 'audio/amr',
  m4a: 'audio/mp4',
  wav: 'audio/wav',
  ogg: 'audio/ogg',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
  png: 'image/png',
  jpg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
};

/** Played or shown in place by the console (Chromium, Firefox, Safari all take these); the rest are downloads. AMR is not: no browser plays it. */
export const PLAYABLE: ReadonlySet<UploadType> = new Set<UploadType>(['mp3', 'm4a', 'wav', 'ogg', 'mp4', 'webm', 'png', 'jpg', 'gif', 'webp']);
export const VOICE_TYPES: ReadonlySet<UploadType> = new Set<UploadType>(['amr', 'mp3', 'm4a', 'wav', 'ogg']);
export const VIDEO_TYPES: ReadonlySet<UploadType> = new Set<UploadType>(['mp4', 'mov', 'webm']);
export const IMAGE_TYPES: ReadonlySet<UploadType> = new Set<UploadType>(IMAGE_UPLOAD_TYPES);

/** file-type's names for the formats taken, where they differ from ours. */
const ALIASES: Record<string, UploadType> = { oga: 'ogg', opus: 'ogg', m4v: 'mp4' };
const KNOWN = new Set<string>(UPLOAD_TYPES);

/** The format of these bytes, or undefined when it is none that is taken at all. */
export async function detectType(bytes: Uint8Array): Promise<UploadType | undefined> {
  const found = await fileTypeFromBuffer(bytes);
  if (!found) return undefined;
  const ext = ALIASES[found.ext] ?? found.ext;
  return KNOWN.has(ext) ? (ext as UploadType) : undefined;
}
