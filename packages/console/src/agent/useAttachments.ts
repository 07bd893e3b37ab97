/**
 * The images and files an agent sends from the composer: by the attach button, a paste or a
 * drop. Each is sent in turn with the chat's texts; while it goes the composer shows how far it
 * is, and when the platform refuses it, why (until dismissed). A sent one joins the chat.
 */
import { useCallback, useRef, useState, type ClipboardEvent, type DragEvent } from 'react';
import { useServices } from '../app/services';
import { droppedFiles, pastedImages, sendProblem, type SendProblem } from '../chat/attachments';
import { sendFile } from '../chat/chat-actions';

export interface FileSend {
  key: number;
  name: string;
  size: number;
  /** Percent of it sent so far. */
  percent: number;
  /** Refused or failed; null while it goes. */
  problem: SendProblem | null;
}

const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer.types).includes('Files');

export function useAttachments(sessionId: number, disabled: boolean) {
  const { chats } = useServices();
  const [sends, setSends] = useState<readonly FileSend[]>([]);
  const [dragging, setDragging] = useState(false);
  const nextKey = useRef(1);

  const send = useCallback(
    (files: readonly File[]) => {
      if (disabled) return;
      for (const file of files) {
        const key = nextKey.current++;
        const patch = (p: Partial<FileSend>) => setSends((list) => list.map((s) => (s.key === key ? { ...s, ...p } : s)));
        setSends((list) => [...list, { key, name: file.name || 'file', size: file.size, percent: 0, problem: null }]);
        let shown = 0;
        sendFile(chats, sessionId, file, (fraction) => {
          const percent = Math.floor(fraction * 100);
          if (percent !== shown) patch({ percent: (shown = percent) });
        }).then(
          () => setSends((list) => list.filter((s) => s.key !== key)),
          (error: unknown) => patch({ problem: sendProblem(error) }),
        );
      }
    },
    [chats, sessionId, disabled],
  );

  const dismiss = useCallback((key: number) => setSends((list) => list.filter((s) => s.key !== key)), []);

  /**
   * On the composer: a file dragged over it is sent where it is dropped (on a closed chat it is
   * refused, rather than opened by the browser in place of the console).
   */
  const dropZone = {
    onDragOver: (e: DragEvent<HTMLElement>) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = disabled ? 'none' : 'copy';
      if (!disabled) setDragging(true);
    },
    onDragLeave: (e: DragEvent<HTMLElement>) => {
      if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
    },
    onDrop: (e: DragEvent<HTMLElement>) => {
      setDragging(false);
      if (!hasFiles(e)) return;
      e.preventDefault();
      send(droppedFiles(e.dataTransfer));
    },
  };

  /** On the reply box: a pasted image (a screenshot) is sent; pasted text stays text. */
  const onPaste = (e: ClipboardEvent<HTMLElement>) => {
    const images = disabled ? [] : pastedImages(e.clipboardData);
    if (images.length === 0) return;
    e.preventDefault();
    send(images);
  };

  return { sends, send, dismiss, dragging, dropZone, onPaste };
}
