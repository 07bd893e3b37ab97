/**
 * The later wire's settings as the admin forms edit them: a channel's callback path and uploads,
 * a queue's position sentence. Each turns what the form holds into what the API takes, or names
 * what is wrong (an i18n key under admin.*), so that a form never sends what the server refuses.
 */
import { MAX_UPLOAD_BYTES, UPLOAD_TYPES, type AdminQueue, type ChannelUploads, type UploadType } from '@elitewebchat/protocol/browser';

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

export const DEFAULT_CALLBACK_PATH = '/ThirdPartService/{name}';
/** As the protocol's CallbackPath: from /, with {name}, no spaces, ? or #. */
const CALLBACK_PATH = /^\/[^?#\s]*\{name\}[^?#\s]*$/;

/** Empty or the default: null (the default, which follows the platform's). */
export function callbackPathOf(text: string): Checked<string | null> {
  const path = text.trim();
  if (path === '' || path === DEFAULT_CALLBACK_PATH) return { ok: true, value: null };
  if (path.length > 200 || !CALLBACK_PATH.test(path)) return { ok: false, error: 'admin.channel.callbackPathBad' };
  return { ok: true, value: path };
}

export interface UploadsForm {
  on: boolean;
  maxBytes: string;
  types: readonly UploadType[];
}

export const DEFAULT_UPLOAD_BYTES = 10 * 1024 * 1024;

export function uploadsForm(uploads: ChannelUploads | null | undefined): UploadsForm {
  return uploads
    ? { on: true, maxBytes: String(uploads.maxBytes), types: [...uploads.types] }
    : { on: false, maxBytes: String(DEFAULT_UPLOAD_BYTES), types: ['pdf', 'mp3', 'amr', 'mp4'] };
}

/** Off: null (images only). On: the size and the types, in the protocol's order. */
export function uploadsOf(form: UploadsForm): Checked<ChannelUploads | null> {
  if (!form.on) return { ok: true, value: null };
  const text = form.maxBytes.trim();
  const maxBytes = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(maxBytes) || maxBytes < 1 || maxBytes > MAX_UPLOAD_BYTES) return { ok: false, error: 'admin.channel.maxBytesBad' };
  const types = UPLOAD_TYPES.filter((type) => form.types.includes(type));
  if (types.length === 0) return { ok: false, error: 'admin.channel.uploadsNoType' };
  return { ok: true, value: { maxBytes, types } };
}

type PositionMessage = NonNullable<AdminQueue['positionMessage']>;

/** Both sentences or neither (null: the default); each must say where {position} goes. */
export function positionMessageOf(zh: string, en: string): Checked<PositionMessage | null> {
  const z = zh.trim();
  const e = en.trim();
  if (z === '' && e === '') return { ok: true, value: null };
  if (z === '' || e === '') return { ok: false, error: 'admin.queue.positionBoth' };
  if (!z.includes('{position}') || !e.includes('{position}')) return { ok: false, error: 'admin.queue.positionPlaceholder' };
  return { ok: true, value: { 'zh-CN': z, en: e } };
}
