/**
 * Customers' images need the bearer token, so they are fetched as blobs and shown through object
 * URLs. Kept per login (a chat switched back to shows them at once), at most MAX of them.
 */
import { fetchBlob } from '../api/http';

const MAX = 300;
const cache = new Map<string, Promise<string>>();
const urls = new Map<string, string>();

export function loadImage(path: string): Promise<string> {
  const hit = cache.get(path);
  if (hit) {
    // Most recently used last.
    cache.delete(path);
    cache.set(path, hit);
    return hit;
  }
  const promise = fetchBlob(path).then((blob) => {
    const url = URL.createObjectURL(blob);
    urls.set(path, url);
    return url;
  });
  promise.catch(() => cache.delete(path));
  cache.set(path, promise);
  while (cache.size > MAX) {
    const oldest = cache.keys().next().value as string;
    cache.delete(oldest);
    const url = urls.get(oldest);
    if (url) URL.revokeObjectURL(url);
    urls.delete(oldest);
  }
  return promise;
}

export function clearImageCache(): void {
  for (const url of urls.values()) URL.revokeObjectURL(url);
  urls.clear();
  cache.clear();
}
