/**
 * Images and files the agent sends: which files a paste or a drop carries, and what to tell the
 * agent when the platform refuses one (as a translation key and its values, so the message
 * follows the console's language).
 */
import { UPLOAD_TYPES } from '@elitewebchat/protocol/browser';
import { ApiError } from '../api/http';

/** Why a file was not sent, for `t(key, values)`. */
export interface SendProblem {
  key: 'upload.tooLarge' | 'upload.tooLargeNoLimit' | 'upload.unsupported' | 'upload.unreadable' | 'upload.network' | 'upload.failed';
  /** `limit`: bytes, for upload.tooLarge; `types`: the formats taken, for upload.unsupported; `error`: the platform's words, for upload.failed. */
  values: { limit?: number; types?: string; error?: string };
}

export function sendProblem(error: unknown): SendProblem {
  if (!(error instanceof ApiError)) return { key: 'upload.failed', values: { error: error instanceof Error ? error.message : String(error) } };
  switch (error.status) {
    case 0:
      return { key: 'upload.network', values: {} };
    case 413: {
      // The platform names its limit ("… over the limit of 20971520"), whether it read the
      // file or refused it unread; a proxy's 413 in front of it would not.
      const limit = /limit of (\d+)/.exec(error.message)?.[1];
      return limit ? { key: 'upload.tooLarge', values: { limit: Number(limit) } } : { key: 'upload.tooLargeNoLimit', values: {} };
    }
    case 415:
      return { key: 'upload.unsupported', values: { types: UPLOAD_TYPES.map((type) => type.toUpperCase()).join(', ') } };
    case 400:
      return { key: 'upload.unreadable', values: { error: error.message } };
    default:
      return { key: 'upload.failed', values: { error: error.message } };
  }
}

/** The files of a drop: every one (the platform judges each by its bytes). */
export function droppedFiles(data: Pick<DataTransfer, 'files'> | null): File[] {
  return data ? Array.from(data.files) : [];
}

/**
 * The images of a paste, unless it carries text: a copy from a word processor or a spreadsheet
 * holds a picture of the text too, and the agent meant the text.
 */
export function pastedImages(data: Pick<DataTransfer, 'files' | 'getData'> | null): File[] {
  if (!data || data.getData('text/plain').trim() !== '') return [];
  return Array.from(data.files).filter((f) => f.type.startsWith('image/'));
}
