/**
 * A customer's voice message, video, file or thumbnail needs the bearer token, so it is fetched
 * as a blob and shown through an object URL, revoked when the component using it goes away.
 *
 * The blob is given a type that cannot run anything if an agent opens it in a tab of its own
 * (a blob URL has the console's origin): audio/* or video/* for a player, a raster image type
 * for a picture (never SVG), and application/octet-stream for everything else.
 */
import { useEffect, useState } from 'react';
import { fetchBlob } from '../../api/http';

export type BlobUse = 'audio' | 'video' | 'image' | 'download';

const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** The type a fetched blob is shown with: its own when harmless for that use, else octet-stream. */
export function safeBlobType(type: string, use: BlobUse): string {
  const t = (type.split(';')[0] ?? '').trim().toLowerCase();
  if (use === 'audio' && /^audio\/[a-z0-9.+-]+$/.test(t)) return t;
  // WebM and MP4 audio tracks are served as video/* too.
  if ((use === 'video' || use === 'audio') && /^video\/[a-z0-9.+-]+$/.test(t)) return t;
  if (use === 'image' && IMAGE_TYPES.has(t)) return t;
  return 'application/octet-stream';
}

export async function fetchSafeBlob(path: string, use: BlobUse, signal?: AbortSignal): Promise<Blob> {
  const blob = await fetchBlob(path, signal);
  const type = safeBlobType(blob.type, use);
  return type === blob.type ? blob : new Blob([blob], { type });
}

export interface ObjectUrl {
  src: string | null;
  failed: boolean;
}

/** Fetches `path` (null: not yet) with the token; the object URL lives as long as the caller. */
export function useObjectUrl(path: string | null, use: BlobUse): ObjectUrl {
  const [state, setState] = useState<{ path: string; src: string | null; failed: boolean } | null>(null);
  useEffect(() => {
    if (path === null) return;
    const abort = new AbortController();
    let url: string | null = null;
    fetchSafeBlob(path, use, abort.signal).then(
      (blob) => {
        if (abort.signal.aborted) return;
        url = URL.createObjectURL(blob);
        setState({ path, src: url, failed: false });
      },
      () => {
        if (!abort.signal.aborted) setState({ path, src: null, failed: true });
      },
    );
    return () => {
      abort.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [path, use]);
  if (state === null || state.path !== path) return { src: null, failed: false };
  return { src: state.src, failed: state.failed };
}

/** Saves a protected file under its name: fetched with the token, never shown in the page. */
export async function saveProtectedFile(path: string, name: string): Promise<void> {
  const blob = await fetchSafeBlob(path, 'download');
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has taken the bytes by then.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
