/**
 * A chat as plain text, for the customer to keep: one line per message, times in UTC,
 * emoticon codes as their pictures. Plain text downloaded as a file: nothing in it runs.
 */
import { emoticonToUnicode, type RatingOption } from '@elitewebchat/protocol';
import type { MessageRow, SessionRow } from '../../db/schema.js';

const LABELS = {
  en: { title: 'Chat', with: 'with', you: 'You', system: 'System', image: '[image]', file: '[file]', closedBy: { customer: 'You ended the chat', agent: 'The agent ended the chat', system: 'The chat ended' }, rated: 'Rated', ratingRequested: 'The agent asked for a rating' },
  'zh-CN': { title: '会话', with: '客服', you: '我', system: '系统', image: '[图片]', file: '[文件]', closedBy: { customer: '您结束了会话', agent: '客服结束了会话', system: '会话已结束' }, rated: '已评价', ratingRequested: '客服邀请您评价' },
} as const;

export type TranscriptLanguage = keyof typeof LABELS;

function time(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function transcript(session: SessionRow, agentName: string, messages: MessageRow[], language: TranscriptLanguage, scale: RatingOption[]): string {
  const l = LABELS[language];
  const lines = [`${l.title} #${session.id} ${l.with} ${agentName}`, time(session.created_at), ''];
  for (const m of messages) {
    const at = `[${time(m.created_at)}]`;
    if (m.kind === 'event') {
      // What happened to the chat, said as a line of its own rather than as someone's words.
      const e = JSON.parse(m.event ?? '{}') as { event?: string; by?: 'customer' | 'agent' | 'system'; ratingId?: number; comments?: string };
      let note: string;
      if (e.event === 'closed') note = l.closedBy[e.by ?? 'system'];
      else if (e.event === 'rated') {
        const label = scale.find((r) => r.id === e.ratingId)?.label[language] ?? String(e.ratingId);
        note = `${l.rated}: ${label}${e.comments ? ` (${e.comments})` : ''}`;
      } else note = l.ratingRequested;
      lines.push(`${at} — ${note}`);
      continue;
    }
    const who = m.sender === 'customer' ? l.you : m.sender === 'agent' ? agentName : l.system;
    const body = m.kind === 'image' ? `${l.image} ${m.text ?? ''}`.trim() : m.kind === 'file' ? `${l.file} ${m.text ?? ''}`.trim() : emoticonToUnicode(m.text ?? '');
    lines.push(`${at} ${who}: ${body}`);
  }
  return `${lines.join('\r\n')}\r\n`;
}
