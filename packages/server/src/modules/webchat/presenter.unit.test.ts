/** What the web chat's visitor sees of each message: an agent's file is a file, never a text or a row. */
import { Compile } from 'typebox/compile';
import { VisitorMessage } from '@elitewebchat/protocol';
import { describe, expect, it } from 'vitest';
import type { MessageRow } from '../../db/schema.js';
import { presentVisitorMessage } from './presenter.js';

const row = (over: Partial<MessageRow>): MessageRow => ({
  id: 9,
  request_id: 1,
  session_id: 4,
  sender: 'agent',
  kind: 'text',
  text: null,
  image_id: null,
  event: null,
  client_msg_id: null,
  file_id: null,
  media: null,
  extra: null,
  revoked_at: null,
  client_time: null,
  created_at: 1_700_000_000_000,
  ...over,
});
const checkView = Compile(VisitorMessage);
const PUBLIC_ID = 'Zx8_k3-Qm2Lp9Tr4Vw1Ya6Bc';

describe('presentVisitorMessage', () => {
  it('shows an agent’s file as a file: name, format, size and its public link, no token and no ids of the store', () => {
    const media = JSON.stringify({ file: { name: '<i>报价.pdf', type: 'pdf', size: 20_480, publicId: PUBLIC_ID } });
    const view = presentVisitorMessage(row({ kind: 'file', text: '<i>报价.pdf', file_id: 77, media, extra: 'kept' }), 'web');
    expect(view).toEqual({
      id: 9,
      sender: 'agent',
      kind: 'file',
      file: { name: '<i>报价.pdf', type: 'pdf', size: 20_480, url: `/webchat/files/${PUBLIC_ID}` },
      clientMsgId: null,
      createdAt: 1_700_000_000_000,
    });
    expect(checkView.Check(view)).toBe(true);
  });

  it('shows an agent’s image from its public link, and a customer’s from the chat’s own (token) address', () => {
    const media = JSON.stringify({ file: { name: 'shot.png', type: 'png', size: 300, publicId: PUBLIC_ID } });
    const agent = presentVisitorMessage(row({ kind: 'image', text: 'shot.png', file_id: 5, media }), 'web');
    expect(agent).toMatchObject({ kind: 'image', image: { id: 5, name: 'shot.png', url: `/webchat/files/${PUBLIC_ID}` } });
    expect(agent.file).toBeUndefined();
    const customer = presentVisitorMessage(row({ sender: 'customer', kind: 'image', text: 'cart.png', image_id: 3 }), 'web');
    expect(customer).toMatchObject({ kind: 'image', image: { id: 3, name: 'cart.png', url: '/api/v1/webchat/web/images/3' } });
    for (const view of [agent, customer]) expect(checkView.Check(view)).toBe(true);
  });

  it('keeps text as text and pre-messages as text', () => {
    expect(presentVisitorMessage(row({ text: 'hi /::)' }), 'web')).toMatchObject({ kind: 'text', text: 'hi /::)' });
    expect(presentVisitorMessage(row({ sender: 'customer', kind: 'pre', text: 'waiting' }), 'web')).toMatchObject({ kind: 'text', text: 'waiting' });
  });
});
