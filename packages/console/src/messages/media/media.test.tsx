import type { FileView, MessageView } from '@elitewebchat/protocol/browser';
import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../ui/format';
import { renderIn } from '../../ui/test-render';
import { MessageItem } from '../MessageItem';
import { safeBlobType } from './object-url';

const HOSTILE = '<img src=x onerror="window.hacked=1">';

const file = (over: Partial<FileView>): FileView => ({ id: 7, name: 'a.mp3', type: 'mp3', mime: 'audio/mpeg', size: 12_400, url: '/api/v1/agent/files/7', playable: true, ...over });
const msg = (over: Partial<MessageView>): MessageView => ({ id: 41, sessionId: 3, sender: 'customer', kind: 'text', createdAt: Date.now(), clientTime: null, ...over });
const html = (m: MessageView, revoked = false, lng: 'en' | 'zh-CN' = 'en') => renderIn(lng, <MessageItem message={m} revoked={revoked} />);
const attr = (markup: string, testId: string, name: string) => new RegExp(`<[^>]*data-testid="${testId}"[^>]*>`).exec(markup)?.[0].match(new RegExp(`${name}="([^"]*)"`))?.[1];

describe('voice messages (2003)', () => {
  it('are a player when the browser plays them, with their length', () => {
    const out = html(msg({ kind: 'voice', file: file({}), seconds: 4 }));
    expect(out).toMatch(/<audio controls="" preload="auto"[^>]*data-testid="voice-player"/);
    expect(out).toContain('Voice message · 4 s');
    expect(out).not.toContain('file-download');
  });
  it('are a download saying why when they are AMR, never a player', () => {
    const out = html(msg({ kind: 'voice', file: file({ name: 'v.amr', type: 'amr', mime: 'audio/amr', playable: false, size: 1_800 }), seconds: 9 }));
    expect(out).not.toContain('<audio');
    expect(out).toContain('data-testid="voice-download-card"');
    expect(out).toContain('AMR voice messages can’t be played in a browser');
    expect(out).toContain('data-testid="file-download"');
    expect(out).toContain('1.8 KB');
    expect(html(msg({ kind: 'voice', file: file({ playable: false, type: 'amr' }), seconds: 9 }), false, 'zh-CN')).toContain('无法在浏览器中播放');
  });
});

describe('locations (2004)', () => {
  const location = { latitude: 31.2304, longitude: 121.4737, poi: `上海市人民广场 ${HOSTILE}`, map: 'gaode' as const, mapUrl: 'https://uri.amap.com/marker?position=121.4737,31.2304' };
  it('show the place as text, the coordinates and a link to the map in a new window', () => {
    const out = html(msg({ kind: 'location', location }));
    expect(out).toContain('上海市人民广场 &lt;img src=x onerror=&quot;window.hacked=1&quot;&gt;');
    expect(out).not.toContain('<img src=x');
    expect(out).toContain('31.230400, 121.473700');
    expect(attr(out, 'location-map-link', 'href')).toBe('https://uri.amap.com/marker?position=121.4737,31.2304');
    expect(attr(out, 'location-map-link', 'target')).toBe('_blank');
    expect(attr(out, 'location-map-link', 'rel')).toBe('noopener noreferrer');
    expect(out).toContain('Open in Gaode Maps');
  });
  it('link nothing but http(s)', () => {
    const out = html(msg({ kind: 'location', location: { ...location, mapUrl: 'javascript:alert(1)' } }));
    expect(out).not.toContain('location-map-link');
    expect(out).not.toContain('javascript:');
  });
  it('keep a place for the thumbnail, fetched with the token later (never its URL as src)', () => {
    const out = html(msg({ kind: 'location', location, thumb: { url: '/api/v1/agent/images/5', width: 120, height: 90 } }));
    expect(out).toContain('data-testid="location-thumb"');
    expect(out).not.toContain('/api/v1/agent/images/5');
  });
});

describe('files (2005)', () => {
  it('are a card with the name as text, the format, the size and a download button, never inline', () => {
    const out = html(msg({ kind: 'file', file: file({ name: `合同${HOSTILE}.pdf`, type: 'pdf', mime: 'application/pdf', size: 2_621_440, playable: false }) }));
    expect(out).toContain('合同&lt;img src=x onerror=&quot;window.hacked=1&quot;&gt;.pdf');
    expect(out).toContain('<span data-testid="file-type">PDF</span>');
    expect(out).toContain('2.5 MB');
    expect(out).toContain('data-testid="file-download"');
    expect(out).not.toMatch(/<(iframe|embed|object|a) /);
    expect(out).not.toContain('/api/v1/agent/files/7');
  });
});

describe('videos (2006)', () => {
  it('are a player when the browser plays them', () => {
    const out = html(msg({ kind: 'video', file: file({ name: 'clip.mp4', type: 'mp4', mime: 'video/mp4', size: 30_000 }), seconds: 3 }));
    expect(out).toMatch(/<video controls=""[^>]*data-testid="video-player"/);
    expect(out).toContain('3 s');
  });
  it('wait for a click when large', () => {
    const out = html(msg({ kind: 'video', file: file({ type: 'mp4', size: 80 * 1024 * 1024 }) }));
    expect(out).not.toContain('<video');
    expect(out).toContain('Load video (80 MB)');
  });
  it('are a download card otherwise', () => {
    const out = html(msg({ kind: 'video', file: file({ name: 'clip.mov', type: 'mov', mime: 'video/quicktime', playable: false }) }));
    expect(out).not.toContain('<video');
    expect(out).toContain('data-testid="video-download-card"');
  });
});

describe('every media message', () => {
  it('shows extra under its bubble as text', () => {
    const out = html(msg({ kind: 'file', file: file({ playable: false }), extra: `order=42 ${HOSTILE}` }));
    expect(out).toContain('data-testid="message-extra"');
    expect(out).toContain('order=42 &lt;img');
  });
  it('says so when its bytes are missing', () => {
    expect(html(msg({ kind: 'video' }))).toContain('The attachment is not available');
  });
  it('shows nothing of itself once withdrawn', () => {
    const out = html(msg({ kind: 'file', file: file({ name: 'secret.pdf', playable: false }), extra: 'private' }), true);
    expect(out).toContain('data-testid="message-revoked"');
    expect(out).not.toContain('secret.pdf');
    expect(out).not.toContain('private');
    expect(out).not.toContain('file-download');
  });
});

describe('safeBlobType', () => {
  it('keeps audio and video types for players and raster images for pictures', () => {
    expect(safeBlobType('audio/mpeg', 'audio')).toBe('audio/mpeg');
    expect(safeBlobType('video/mp4', 'video')).toBe('video/mp4');
    expect(safeBlobType('image/png', 'image')).toBe('image/png');
  });
  it('makes anything else inert octets: an opened blob URL must never run in the console', () => {
    expect(safeBlobType('text/html', 'video')).toBe('application/octet-stream');
    expect(safeBlobType('image/svg+xml', 'image')).toBe('application/octet-stream');
    expect(safeBlobType('audio/mpeg', 'download')).toBe('application/octet-stream');
    expect(safeBlobType('application/pdf', 'download')).toBe('application/octet-stream');
    expect(safeBlobType('', 'audio')).toBe('application/octet-stream');
  });
});

describe('formatBytes', () => {
  it('reads as agents expect', () => {
    expect(formatBytes(820, 'en')).toBe('820 B');
    expect(formatBytes(12_400, 'en')).toBe('12.1 KB');
    expect(formatBytes(3 * 1024 * 1024, 'zh-CN')).toBe('3 MB');
    expect(formatBytes(100 * 1024 * 1024, 'en')).toBe('100 MB');
  });
});
