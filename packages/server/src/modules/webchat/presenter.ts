/** What the web chat shows of a message: never a database row as it is, never an agent's bookkeeping. */
import type { VisitorEvent, VisitorMessage } from '@elitewebchat/protocol';
import type { MessageMedia, MessageRow } from '../../db/schema.js';
import { agentFilePath } from '../../files/file-store.js';

export function presentVisitorMessage(row: MessageRow, channelId: string): VisitorMessage {
  const view: VisitorMessage = {
    id: row.id,
    sender: row.sender,
    // The web chat's own messages are text, images and events, and an agent sends files;
    // pre-messages read as text.
    kind: row.kind === 'image' || row.kind === 'event' ? row.kind : 'text',
    clientMsgId: row.client_msg_id,
    createdAt: row.created_at,
  };
  const agentFile = row.sender === 'agent' && row.media ? (JSON.parse(row.media) as MessageMedia).file : undefined;
  if (agentFile?.publicId && row.kind === 'image') {
    view.image = { id: row.file_id ?? 0, name: row.text ?? 'image', url: agentFilePath(agentFile.publicId) };
  } else if (agentFile?.publicId) {
    // A file the agent sent: a card with its name, format and size, and its link (no token).
    view.kind = 'file';
    view.file = { name: agentFile.name, type: agentFile.type, size: agentFile.size, url: agentFilePath(agentFile.publicId) };
  } else if (row.kind === 'image') {
    view.image = { id: row.image_id ?? 0, name: row.text ?? 'image', url: `/api/v1/webchat/${encodeURIComponent(channelId)}/images/${row.image_id}` };
  } else if (row.kind === 'event') {
    view.event = JSON.parse(row.event ?? '{}') as VisitorEvent;
  } else {
    view.text = row.text ?? '';
  }
  return view;
}
