/**
 * Sends a file as multipart/form-data (field `file`) with the bearer token, and tells how much of
 * it went: fetch cannot report an upload's progress, XMLHttpRequest can. Errors are the same
 * ApiError as every other call's.
 */
import i18next from 'i18next';
import { authStore } from '../auth/auth-store';
import { ApiError, errorFromBody, noticeAuthRefusal } from './http';

/** The share of the body sent so far, 0 to 1. */
export type Progress = (fraction: number) => void;

export function uploadFile<T>(path: string, file: Blob, name: string, onProgress?: Progress): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('accept', 'application/json');
    const token = authStore.token();
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.withCredentials = false;
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress?.(Math.min(1, e.loaded / e.total));
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', i18next.t('error.network')));
    xhr.onabort = () => reject(new ApiError(0, 'ABORTED', 'aborted'));
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as T);
        } catch {
          reject(new ApiError(xhr.status, 'BAD_ANSWER', `HTTP ${xhr.status}: not JSON`));
        }
        return;
      }
      const error = errorFromBody(xhr.status, xhr.statusText, xhr.responseText);
      noticeAuthRefusal(error);
      reject(error);
    };
    const form = new FormData();
    form.append('file', file, name);
    xhr.send(form);
  });
}
