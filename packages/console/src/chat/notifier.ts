/**
 * How a new chat announces itself: a short beep made with WebAudio (no audio file) and the unread
 * count in the page title. Muting is remembered in localStorage.
 */
import { createStore } from '../app/store';

const MUTE_KEY = 'ewc.muted';

function storedMute(): boolean {
  try {
    return localStorage.getItem(MUTE_KEY) === '1';
  } catch {
    return false;
  }
}

export const muteStore = createStore<boolean>(storedMute());

export function setMuted(muted: boolean): void {
  try {
    localStorage.setItem(MUTE_KEY, muted ? '1' : '0');
  } catch {
    // remembered for this page only
  }
  muteStore.set(muted);
}

let context: AudioContext | null = null;

function audio(): AudioContext | null {
  if (typeof AudioContext === 'undefined') return null;
  context ??= new AudioContext();
  // Browsers start it suspended until the page had a user gesture; logging in was one.
  if (context.state === 'suspended') void context.resume().catch(() => undefined);
  return context;
}

function tone(ctx: AudioContext, frequency: number, start: number, duration: number, volume: number): void {
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.type = 'sine';
  osc.frequency.value = frequency;
  gain.gain.setValueAtTime(0.0001, start);
  gain.gain.exponentialRampToValueAtTime(volume, start + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, start + duration);
  osc.connect(gain).connect(ctx.destination);
  osc.start(start);
  osc.stop(start + duration + 0.02);
}

let lastBeep = 0;

/** `chat`: a new chat (two rising tones); `message`: a message in a chat not in view (one soft tone). */
export function beep(kind: 'chat' | 'message'): void {
  if (muteStore.get()) return;
  const now = Date.now();
  // Bursts (a catch-up bringing many messages) beep once.
  if (now - lastBeep < 400) return;
  lastBeep = now;
  try {
    const ctx = audio();
    if (!ctx) return;
    const t = ctx.currentTime;
    if (kind === 'chat') {
      tone(ctx, 660, t, 0.15, 0.2);
      tone(ctx, 880, t + 0.17, 0.2, 0.2);
    } else {
      tone(ctx, 740, t, 0.12, 0.08);
    }
  } catch {
    // No sound is not worth an error.
  }
}

/**
 * Browsers let a page play sound only after a user gesture: after a reload the first click or key
 * unlocks it. Answers a function that stops listening.
 */
export function unlockAudioOnGesture(): () => void {
  const unlock = () => {
    unlockAudio();
    stop();
  };
  const stop = () => {
    document.removeEventListener('pointerdown', unlock, true);
    document.removeEventListener('keydown', unlock, true);
  };
  document.addEventListener('pointerdown', unlock, true);
  document.addEventListener('keydown', unlock, true);
  return stop;
}

/** Call from a user gesture so later beeps may play. */
export function unlockAudio(): void {
  try {
    audio();
  } catch {
    // ignore
  }
}

const BASE_TITLE = 'EliteWebChat';

export function setTitleBadge(unread: number): void {
  document.title = unread > 0 ? `(${unread}) ${BASE_TITLE}` : BASE_TITLE;
}
