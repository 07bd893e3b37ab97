import type { AdminQueue, ChannelView } from '@elitewebchat/protocol/browser';
import { describe, expect, it } from 'vitest';
import { renderIn } from '../ui/test-render';
import { channelLaterBody } from './ChannelLaterFields';
import { ChannelForm } from './ChannelsAdmin';
import { callbackPathOf, positionMessageOf, uploadsForm, uploadsOf } from './later-settings';
import { QueueForm } from './QueuesAdmin';

const nop = () => undefined;

describe('a channel’s callback path', () => {
  it('is null (the default) when empty or the default', () => {
    expect(callbackPathOf('  ')).toEqual({ ok: true, value: null });
    expect(callbackPathOf('/ThirdPartService/{name}')).toEqual({ ok: true, value: null });
  });
  it('takes a path with {name}, and names what is wrong otherwise', () => {
    expect(callbackPathOf(' /chat/{name} ')).toEqual({ ok: true, value: '/chat/{name}' });
    for (const bad of ['chat/{name}', '/chat/name', '/chat/{name}?x=1', '/a b/{name}']) expect(callbackPathOf(bad)).toEqual({ ok: false, error: 'admin.channel.callbackPathBad' });
  });
});

describe('a channel’s uploads', () => {
  it('are null when off, and round-trip what was loaded', () => {
    expect(uploadsOf({ ...uploadsForm({ maxBytes: 5, types: ['pdf'] }), on: false })).toEqual({ ok: true, value: null });
    const loaded = { maxBytes: 5_000_001, types: ['amr', 'pdf', 'mp4'] as const };
    // In the protocol's order, every byte kept.
    expect(uploadsOf(uploadsForm({ ...loaded, types: [...loaded.types] }))).toEqual({ ok: true, value: { maxBytes: 5_000_001, types: ['pdf', 'amr', 'mp4'] } });
    expect(uploadsForm(null).on).toBe(false);
  });
  it('need a size within the limit and one type at least', () => {
    expect(uploadsOf({ on: true, maxBytes: '0', types: ['pdf'] })).toEqual({ ok: false, error: 'admin.channel.maxBytesBad' });
    expect(uploadsOf({ on: true, maxBytes: '1.5', types: ['pdf'] })).toEqual({ ok: false, error: 'admin.channel.maxBytesBad' });
    expect(uploadsOf({ on: true, maxBytes: String(100 * 1024 * 1024 + 1), types: ['pdf'] })).toEqual({ ok: false, error: 'admin.channel.maxBytesBad' });
    expect(uploadsOf({ on: true, maxBytes: '1000', types: [] })).toEqual({ ok: false, error: 'admin.channel.uploadsNoType' });
  });
});

describe('a queue’s position sentence', () => {
  it('is both languages or neither, each with {position}', () => {
    expect(positionMessageOf('', ' ')).toEqual({ ok: true, value: null });
    expect(positionMessageOf('前面还有{position}人', 'You are #{position}')).toEqual({ ok: true, value: { 'zh-CN': '前面还有{position}人', en: 'You are #{position}' } });
    expect(positionMessageOf('前面还有{position}人', '')).toEqual({ ok: false, error: 'admin.queue.positionBoth' });
    expect(positionMessageOf('', 'You are #{position}')).toEqual({ ok: false, error: 'admin.queue.positionBoth' });
    expect(positionMessageOf('前面还有人', 'You are #{position}')).toEqual({ ok: false, error: 'admin.queue.positionPlaceholder' });
  });
});

const channel: ChannelView = {
  id: 'app',
  hasKey: true,
  callbackBase: 'http://tp.example',
  allowServerAddr: [],
  serverAddrPolicy: 'refuse',
  allowFrom: null,
  signsRequests: false,
  webhookSecrets: 0,
  laterCallbacks: ['typing', 'updateRequestStatus'],
  callbackPath: '/chat/{name}',
  language: 'en',
  uploads: { maxBytes: 2_000_000, types: ['pdf', 'amr'] },
  kind: 'tpi',
  web: null,
};

const checked = (html: string, testId: string, attr: string) =>
  [...html.matchAll(new RegExp(`<input[^>]*data-testid="${testId}"[^>]*>`, 'g'))].filter((m) => m[0].includes('checked=""')).map((m) => new RegExp(`${attr}="([^"]*)"`).exec(m[0])?.[1]);

const valueOf = (html: string, testId: string) => new RegExp(`<input[^>]*data-testid="${testId}"[^>]*>`).exec(html)?.[0].match(/ value="([^"]*)"/)?.[1];

describe('the channel form', () => {
  it('starts from every later setting the channel has (a PUT sends them back)', () => {
    const html = renderIn('en', <ChannelForm channel={channel} onSaved={nop} onCancel={nop} />);
    expect(checked(html, 'channel-later-callback', 'data-callback')).toEqual(['updateRequestStatus', 'typing']);
    expect(valueOf(html, 'channel-callback-path')).toBe('/chat/{name}');
    expect(html).toMatch(/<option value="en" selected="">English \(en\)<\/option>/);
    expect(checked(html, 'channel-uploads-on', 'data-testid')).toEqual(['channel-uploads-on']);
    expect(valueOf(html, 'channel-max-bytes')).toBe('2000000');
    expect(checked(html, 'channel-upload-type', 'data-type')).toEqual(['pdf', 'amr']);
  });
  it('sends back what it loaded when nothing was changed', () => {
    const body = channelLaterBody({ laterCallbacks: [...channel.laterCallbacks], callbackPath: channel.callbackPath, language: channel.language, uploads: uploadsForm(channel.uploads) });
    expect(body).toEqual({ ok: true, value: { laterCallbacks: ['updateRequestStatus', 'typing'], callbackPath: '/chat/{name}', language: 'en', uploads: channel.uploads } });
  });
  it('shows uploads off, zh-CN and no later callback for a new channel, in both languages', () => {
    const html = renderIn('zh-CN', <ChannelForm channel={null} onSaved={nop} onCancel={nop} />);
    expect(checked(html, 'channel-later-callback', 'data-callback')).toEqual([]);
    expect(checked(html, 'channel-uploads-off', 'data-testid')).toEqual(['channel-uploads-off']);
    expect(html).not.toContain('channel-max-bytes');
    expect(html).toContain('仅图片');
  });
});

const queue: AdminQueue = {
  id: 3,
  name: 'Sales',
  timezone: 'Asia/Shanghai',
  hours: null,
  maxWaitSeconds: 600,
  maxLength: 100,
  whenNoAgentOnline: 'wait',
  enabled: true,
  closedDates: [],
  specialHours: {},
  dropAfterSilentSeconds: null,
  assignment: 'auto',
  offerTimeoutSeconds: 15,
  maxRefusals: 2,
  positionMessage: { 'zh-CN': '您前面还有{position}位', en: '{position} ahead of you' },
  agentIds: [],
};

describe('the queue form', () => {
  it('starts from the queue’s position sentence', () => {
    const html = renderIn('en', <QueueForm queue={queue} agents={[]} onSaved={nop} onCancel={nop} />);
    expect(valueOf(html, 'queue-position-zh')).toBe('您前面还有{position}位');
    expect(valueOf(html, 'queue-position-en')).toBe('{position} ahead of you');
    const none = renderIn('en', <QueueForm queue={{ ...queue, positionMessage: null }} agents={[]} onSaved={nop} onCancel={nop} />);
    expect(valueOf(none, 'queue-position-zh')).toBe('');
  });
});
