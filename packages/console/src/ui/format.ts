/** Times and durations as agents read them, in the console's language. */
import type { TFunction } from 'i18next';

export function formatDuration(ms: number, t: TFunction): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return t('time.seconds', { s });
  const m = Math.floor(s / 60);
  if (m < 60) return t('time.minutesSeconds', { m, s: s % 60 });
  const h = Math.floor(m / 60);
  return t('time.hoursMinutes', { h, m: m % 60 });
}

// Building an Intl formatter is costly; a chat renders hundreds of times.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(lng: string, kind: 'time' | 'date' | 'full'): Intl.DateTimeFormat {
  const key = `${lng}|${kind}`;
  let f = formatters.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'time'
        ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
        : kind === 'date'
          ? { month: 'numeric', day: 'numeric' }
          : { year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' };
    f = new Intl.DateTimeFormat(lng, options);
    formatters.set(key, f);
  }
  return f;
}

const dayOf = (ms: number) => {
  const d = new Date(ms);
  return d.getFullYear() * 10_000 + d.getMonth() * 100 + d.getDate();
};

/** "14:03" today, "3/12 14:03" before. */
export function formatTime(ms: number, lng: string): string {
  const time = formatter(lng, 'time').format(ms);
  if (dayOf(ms) === dayOf(Date.now())) return time;
  return `${formatter(lng, 'date').format(ms)} ${time}`;
}

export function formatDateTime(ms: number, lng: string): string {
  return formatter(lng, 'full').format(ms);
}

const languageNames = new Map<string, Intl.DisplayNames | null>();

/** A customer's browser language (a BCP 47 tag such as `zh-CN`) named in the console's language: "English (en-US)"; the tag alone when it names nothing. */
export function formatLanguage(tag: string, lng: string): string {
  let names = languageNames.get(lng);
  if (names === undefined) {
    try {
      names = new Intl.DisplayNames([lng], { type: 'language' });
    } catch {
      names = null;
    }
    languageNames.set(lng, names);
  }
  let name: string | undefined;
  try {
    name = names?.of(tag);
  } catch {
    // not a well-formed tag: shown as given
  }
  return name && name !== tag ? `${name} (${tag})` : tag;
}

/** A file's size as agents read it: "820 B", "12.4 KB", "3.2 MB" (1 KB = 1024 bytes). */
export function formatBytes(bytes: number, lng: string): string {
  const n = new Intl.NumberFormat(lng, { maximumFractionDigits: 1 });
  if (bytes < 1024) return `${n.format(bytes)} B`;
  if (bytes < 1024 * 1024) return `${n.format(bytes / 1024)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${n.format(bytes / (1024 * 1024))} MB`;
  return `${n.format(bytes / (1024 * 1024 * 1024))} GB`;
}
