/**
 * Why a take, an offer's accept, a transfer or an assignment did not happen, in the console's
 * words. The server answers these 409s (and a few 404s) with an English message that names the
 * case; its error code alone is CONFLICT for most of them, so the message is read here, and
 * anything not recognised is shown as the server put it.
 */
import type { TFunction } from 'i18next';

export type ConflictKey =
  | 'takenBy'
  | 'gone'
  | 'notOffered'
  | 'noRoom'
  | 'offline'
  | 'noRoomOrOffline'
  | 'notManual'
  | 'notInQueues'
  | 'agentNoRoom'
  | 'agentNotOnline'
  | 'noAgent'
  | 'alreadyTheirs'
  | 'queueClosed'
  | 'queueUnavailable'
  | 'chatNotOpen';

export interface Conflict {
  key: ConflictKey;
  values: Record<string, string>;
}

const PATTERNS: readonly [RegExp, ConflictKey, readonly string[]][] = [
  [/^request \d+ was taken by (.+) first$/, 'takenBy', ['agent']],
  [/^request \d+ is no longer waiting$/, 'gone', []],
  [/^request \d+ is not offered to /, 'notOffered', []],
  [/^you have no room for another chat \(maxChats\), or went offline$/, 'noRoomOrOffline', []],
  [/^you have no room for another chat/, 'noRoom', []],
  [/^(?:go online to take chats|you must be online to take chats)$/, 'offline', []],
  [/^queue \d+ routes its requests itself/, 'notManual', []],
  [/^no request \d+ in your queues$/, 'notInQueues', []],
  // A transfer or a supervisor's assignment, naming the agent.
  [/^agent (\S+) has no room/, 'agentNoRoom', ['agent']],
  [/^(\S+) has no room for another chat/, 'agentNoRoom', ['agent']],
  [/^agent (\S+) is \S+: a chat goes only to an online agent$/, 'agentNotOnline', ['agent']],
  [/^(\S+) must be online to take chats$/, 'agentNotOnline', ['agent']],
  [/^no agent (\S+)$/, 'noAgent', ['agent']],
  [/^session \d+ is already (\S+)'s$/, 'alreadyTheirs', ['agent']],
  [/^session \d+ is \w+: only an open chat can be transferred$/, 'chatNotOpen', []],
];

/** Error codes that say it all by themselves. */
const BY_CODE: Record<string, ConflictKey> = {
  OUTSIDE_WORKING_HOURS: 'queueClosed',
  QUEUE_UNAVAILABLE: 'queueUnavailable',
  SESSION_CLOSED: 'chatNotOpen',
};

/** The case a server's message (and code, when known) names, or null for anything else. */
export function conflictOf(message: string, code?: string): Conflict | null {
  const byCode = code === undefined ? undefined : BY_CODE[code];
  if (byCode) return { key: byCode, values: {} };
  for (const [pattern, key, names] of PATTERNS) {
    const match = pattern.exec(message);
    if (!match) continue;
    const values: Record<string, string> = {};
    names.forEach((name, i) => (values[name] = match[i + 1] ?? ''));
    return { key, values };
  }
  return null;
}

/** The translated reason, or null when the message is not one the console knows. */
export function explainConflict(t: TFunction, message: string, code?: string): string | null {
  const conflict = conflictOf(message, code);
  if (!conflict) return null;
  return t(`conflict.${conflict.key}`, conflict.values);
}
