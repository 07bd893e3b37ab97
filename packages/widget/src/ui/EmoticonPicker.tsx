/**
 * The 105 emoticons as a grid of buttons, each named in the page's language. Arrow keys move
 * within the grid (one tab stop), Enter or a click inserts, Escape closes.
 */
import { EMOTICONS } from '@elitewebchat/protocol/browser';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { emoticonName } from '../speakable';
import { useApp } from './context';

const COLUMNS = 8;

export function EmoticonPicker({ id, onPick, onClose }: { id: string; onPick: (code: string) => void; onClose: () => void }) {
  const { t, lang } = useApp();
  const [active, setActive] = useState(0);
  const grid = useRef<HTMLDivElement>(null);

  const focusAt = (i: number) => grid.current?.querySelector<HTMLButtonElement>(`[data-index="${i}"]`)?.focus();
  // Into the grid as it opens, before it is painted: a key pressed as soon as it shows lands in it.
  useLayoutEffect(() => focusAt(0), []);

  const onKeyDown = (e: KeyboardEvent) => {
    const n = EMOTICONS.length;
    let next: number;
    switch (e.key) {
      case 'ArrowRight':
        next = Math.min(n - 1, active + 1);
        break;
      case 'ArrowLeft':
        next = Math.max(0, active - 1);
        break;
      case 'ArrowDown':
        next = Math.min(n - 1, active + COLUMNS);
        break;
      case 'ArrowUp':
        next = Math.max(0, active - COLUMNS);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = n - 1;
        break;
      case 'Escape':
        e.preventDefault();
        e.stopPropagation();
        onClose();
        return;
      default:
        return;
    }
    e.preventDefault();
    setActive(next);
    focusAt(next);
  };

  return (
    <div id={id} class="picker" role="group" aria-label={t('emoticons')} data-testid="emoticon-picker" ref={grid} onKeyDown={onKeyDown}>
      {EMOTICONS.map((e, i) => {
        const name = emoticonName(e.id, lang);
        return (
          <button
            key={e.id}
            type="button"
            class="emo-btn"
            tabIndex={i === active ? 0 : -1}
            data-index={i}
            aria-label={name}
            title={name}
            data-testid={`emoticon-${e.id}`}
            data-code={e.code}
            onClick={() => onPick(e.code)}
          >
            <span aria-hidden="true">{e.unicode}</span>
          </button>
        );
      })}
    </div>
  );
}
