/** Images the customer sends: checked here as the server checks them, before any upload. */

export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

export type ImageProblem = 'type' | 'size';

export function checkImage(type: string, size: number, maxBytes: number): ImageProblem | null {
  if (!(IMAGE_TYPES as readonly string[]).includes(type)) return 'type';
  if (size <= 0 || size > maxBytes) return 'size';
  return null;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
  if (bytes < 1024) return `${Math.max(0, bytes)} B`;
  return `${Math.round(bytes / 1024)} KB`;
}

export function readAsDataUri(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('unreadable file'));
    reader.readAsDataURL(file);
  });
}

/** The image files among dropped or pasted items. */
export function imageFiles(list: FileList | null | undefined): File[] {
  if (!list) return [];
  const out: File[] = [];
  for (let i = 0; i < list.length; i++) {
    const f = list.item(i);
    if (f && f.type.startsWith('image/')) out.push(f);
  }
  return out;
}
