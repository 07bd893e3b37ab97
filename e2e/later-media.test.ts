/**
 * The later wire's media in the real console, in real Chromium (issue 11). A customer of a later
 * client (logged in by type 3, calling with a token) sends voice (an MP3 the browser plays, an AMR
 * it cannot), a location with its map picture, a file uploaded by tpiu, and a video uploaded by
 * tpiu with its first frame; the agent sees a player, a download saying why, a card linking the
 * map, a file card whose download saves the very bytes sent, a video player with its poster, what
 * the third party told about the customer (brand, address, browsing trail) and a rating's further
 * answers, all as text. A file taken back shows withdrawn, its name gone. An admin sets a
 * channel's later settings and a queue's position sentence, and a save keeps every other field.
 *
 * The video and the pictures are made by Chromium itself (MediaRecorder, canvas): real, tiny,
 * playable files, and no binary fixture in the repository.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminQueue, ChannelView, SessionView } from '@elitewebchat/protocol';
import { launch, openTab } from './support/browser.js';
import { login, SHOTS } from './support/console.js';
import { PASSWORD, startWorld, type World } from './support/platform.js';

const bytes = (...parts: (string | number[] | Buffer)[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
/** Two seconds of MPEG-1 Layer III silence (77 frames of 128 kbit/s, 44.1 kHz) after an ID3 tag. */
const MP3 = bytes('ID3', [3, 0, 0, 0, 0, 0, 0], ...Array.from({ length: 77 }, () => bytes([0xff, 0xfb, 0x90, 0x64], Buffer.alloc(413))));
/** AMR-NB as WeChat records it: the magic line, then 12.2 kbit/s frames (32 bytes, 20 ms each). */
const AMR = bytes('#!AMR\n', ...Array.from({ length: 150 }, () => bytes([0x3c], Buffer.alloc(31, 0x55))));
/** A PDF padded to 20 KiB with comment lines, so that its size reads "20 KB". */
const PDF = (() => {
  const head = '%PDF-1.4\n1 0 obj<<>>endobj\n';
  const tail = 'trailer<<>>\n%%EOF\n';
  const pad = 20 * 1024 - head.length - tail.length;
  return bytes(head, `%${'x'.repeat(pad - 2)}\n`, tail);
})();

interface Made {
  mp4: Buffer;
  poster: Buffer;
  map: Buffer;
}

/** A tiny real MP4 (H.264, ~1 s, 160×120) and two PNGs, drawn and recorded by Chromium. */
async function makeMedia(browser: Browser): Promise<Made> {
  const page = await browser.newPage();
  try {
    await page.setContent('<canvas id="c" width="160" height="120"></canvas>');
    const made = await page.evaluate(async () => {
      const canvas = document.getElementById('c') as HTMLCanvasElement;
      const g = canvas.getContext('2d')!;
      const b64 = (blob: Blob) =>
        new Promise<string>((resolve) => {
          const r = new FileReader();
          r.onload = () => resolve(String(r.result).split(',')[1] ?? '');
          r.readAsDataURL(blob);
        });
      const png = () => new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
      // The map: streets and a pin.
      g.fillStyle = '#eef3e8';
      g.fillRect(0, 0, 160, 120);
      g.strokeStyle = '#ffffff';
      g.lineWidth = 8;
      for (const [x1, y1, x2, y2] of [[0, 40, 160, 55], [0, 95, 160, 80], [60, 0, 75, 120], [120, 0, 110, 120]] as const) {
        g.beginPath();
        g.moveTo(x1, y1);
        g.lineTo(x2, y2);
        g.stroke();
      }
      g.fillStyle = '#d93025';
      g.beginPath();
      g.arc(80, 52, 9, 0, Math.PI * 2);
      g.fill();
      const map = await b64(await png());
      // The video: a box crossing the frame; its first frame is the poster.
      const frame = (i: number) => {
        g.fillStyle = '#1f4e79';
        g.fillRect(0, 0, 160, 120);
        g.fillStyle = '#ffcc00';
        g.fillRect(10 + i * 4, 40, 40, 40);
      };
      frame(0);
      const poster = await b64(await png());
      const stream = canvas.captureStream(25);
      const recorder = new MediaRecorder(stream, { mimeType: 'video/mp4;codecs=avc1', videoBitsPerSecond: 200_000 });
      const chunks: Blob[] = [];
      recorder.ondataavailable = (e) => chunks.push(e.data);
      const stopped = new Promise((resolve) => (recorder.onstop = resolve));
      recorder.start();
      for (let i = 0; i < 25; i++) {
        frame(i);
        await new Promise((r) => setTimeout(r, 40));
      }
      recorder.stop();
      await stopped;
      return { mp4: await b64(new Blob(chunks, { type: 'video/mp4' })), poster, map };
    });
    return { mp4: Buffer.from(made.mp4, 'base64'), poster: Buffer.from(made.poster, 'base64'), map: Buffer.from(made.map, 'base64') };
  } finally {
    await page.close();
  }
}

/** Clicks a download button and answers the bytes the browser saved and the name it saved them under. */
async function download(page: Page, button: Locator): Promise<{ bytes: Buffer; name: string }> {
  const [saved] = await Promise.all([page.waitForEvent('download'), button.click()]);
  const file = await saved.path();
  return { bytes: fs.readFileSync(file), name: saved.suggestedFilename() };
}

/** Waits until a media element has read its metadata (the bytes reached the player and it took them). */
async function metadataOf(player: Locator): Promise<{ duration: number; width: number; src: string; poster: string }> {
  await player.evaluate(
    (el: HTMLMediaElement) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (el.readyState >= 1) resolve();
          else if (el.error) reject(new Error(`media error ${el.error.code}: ${el.error.message}`));
          else setTimeout(check, 50);
        };
        check();
      }),
  );
  return player.evaluate((el: HTMLMediaElement) => ({
    duration: el.duration,
    width: el instanceof HTMLVideoElement ? el.videoWidth : 0,
    src: el.currentSrc,
    poster: el instanceof HTMLVideoElement ? el.poster : '',
  }));
}

describe('the later wire’s media in the console', () => {
  let browser: Browser;
  let w: World;
  let made: Made;

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    browser = await launch();
    w = await startWorld({ ratings: [{ id: 1, label: { 'zh-CN': '非常满意', en: 'Very satisfied' } }] });
    made = await makeMedia(browser);
  });

  afterAll(async () => {
    await browser?.close();
    await w?.close();
  });

  it('lets an admin set a channel’s later settings and a queue’s position sentence, each save keeping every other field', async () => {
    const admin = await w.p.login('admin', PASSWORD);
    const channelOf = async () => (await w.p.api<{ channels: ChannelView[] }>('GET', '/api/v1/admin/channels', admin)).body.channels.find((c) => c.id === 'wechat')!;
    const before = await channelOf();
    expect(before).toMatchObject({ uploads: null, language: 'zh-CN', laterCallbacks: [], callbackPath: '/ThirdPartService/{name}' });

    const tab = await openTab(browser, { height: 1000 });
    const { page } = tab;
    await login(page, w.p.url, 'admin');
    await page.goto(`${w.p.url}/admin/channels`);
    await page.locator('[data-testid=admin-channel-row][data-channel-id="wechat"]').click();
    const form = page.getByTestId('channel-form');
    await form.waitFor();
    expect(await form.getByTestId('channel-max-bytes').count()).toBe(0);
    await form.getByTestId('channel-uploads-on').check();
    await form.getByTestId('channel-max-bytes').fill('1048576');
    await form.locator('[data-testid=channel-upload-type][data-type=png]').check();
    await form.locator('[data-testid=channel-upload-type][data-type=amr]').uncheck();
    await form.locator('[data-testid=channel-later-callback][data-callback=updateRequestStatus]').check();
    await form.getByTestId('channel-language').selectOption('en');

    // A wrong callback path is refused in the form, and nothing is saved.
    await form.getByTestId('channel-callback-path').fill('/chat/no-name');
    await form.getByTestId('channel-save').click();
    await form.getByTestId('error').filter({ hasText: '{name}' }).waitFor();
    expect(await channelOf()).toEqual(before);
    await form.getByTestId('channel-callback-path').fill('');
    // No type at all is refused too.
    for (const type of ['pdf', 'mp3', 'mp4', 'png']) await form.locator(`[data-testid=channel-upload-type][data-type=${type}]`).uncheck();
    await form.getByTestId('channel-save').click();
    await form.getByTestId('error').filter({ hasText: '至少选择一种' }).waitFor();
    for (const type of ['pdf', 'mp3', 'amr', 'mp4', 'png']) await form.locator(`[data-testid=channel-upload-type][data-type=${type}]`).check();
    await form.getByTestId('channel-save').click();
    await form.locator('.ok-text').waitFor();
    const after = await channelOf();
    // What was changed, changed; everything else is as it was.
    expect(after).toEqual({ ...before, uploads: { maxBytes: 1_048_576, types: ['pdf', 'mp3', 'amr', 'mp4', 'png'] }, language: 'en', laterCallbacks: ['updateRequestStatus'] });
    await page.screenshot({ path: path.join(SHOTS, 'admin-channel-later.png') });

    // Loaded again, the form shows what is saved; saved untouched, nothing changes.
    await page.reload();
    await page.locator('[data-testid=admin-channel-row][data-channel-id="wechat"]').click();
    await form.waitFor();
    expect(await form.getByTestId('channel-uploads-on').isChecked()).toBe(true);
    expect(await form.getByTestId('channel-max-bytes').inputValue()).toBe('1048576');
    expect(await form.locator('[data-testid=channel-upload-type]:checked').evaluateAll((els) => els.map((e) => e.getAttribute('data-type')))).toEqual(['pdf', 'mp3', 'amr', 'mp4', 'png']);
    expect(await form.getByTestId('channel-language').inputValue()).toBe('en');
    await form.getByTestId('channel-save').click();
    await form.locator('.ok-text').waitFor();
    expect(await channelOf()).toEqual(after);

    // The queue's position sentence: both languages or neither, each with {position}.
    const queueOf = async () => (await w.p.api<{ queues: AdminQueue[] }>('GET', '/api/v1/admin/queues', admin)).body.queues.find((q) => q.id === 2)!;
    const queueBefore = await queueOf();
    await page.goto(`${w.p.url}/admin/queues`);
    await page.locator('[data-testid=admin-queue-row][data-queue-id="2"]').click();
    const queueForm = page.getByTestId('queue-form');
    await queueForm.getByTestId('queue-position-zh').fill('您前面还有{position}位客户');
    await queueForm.getByTestId('queue-save').click();
    await queueForm.getByTestId('error').filter({ hasText: '两种语言' }).waitFor();
    await queueForm.getByTestId('queue-position-en').fill('You are next, almost');
    await queueForm.getByTestId('queue-save').click();
    await queueForm.getByTestId('error').filter({ hasText: '{position}' }).waitFor();
    await queueForm.getByTestId('queue-position-en').fill('{position} customers before you');
    await queueForm.getByTestId('queue-save').click();
    await queueForm.locator('.ok-text').waitFor();
    const positioned = { ...queueBefore, positionMessage: { 'zh-CN': '您前面还有{position}位客户', en: '{position} customers before you' } };
    expect(await queueOf()).toEqual(positioned);
    // Another field changed: the sentence stays.
    await queueForm.getByTestId('queue-max-wait').fill('900');
    await queueForm.getByTestId('queue-save').click();
    await eventually(async () => (await queueOf()).maxWaitSeconds === 900);
    expect(await queueOf()).toEqual({ ...positioned, maxWaitSeconds: 900 });
    expect(tab.errors).toEqual([]);
    await tab.context.close();
  });

  it('shows voice, location, file and video as the agent can use them, the customer’s context, and a file taken back as withdrawn', async () => {
    const admin = await w.p.login('admin', PASSWORD);
    // Independent of the test above: this channel takes these uploads.
    expect((await w.p.api('PUT', '/api/v1/admin/channels/wechat', admin, { uploads: { maxBytes: 1_048_576, types: ['pdf', 'mp3', 'amr', 'mp4', 'png'] } })).status).toBe(200);

    const tab = await openTab(browser, { height: 1000 });
    const { page } = tab;
    await login(page, w.p.url, 'elite');
    await page.getByTestId('agent-page').waitFor();
    await page.getByTestId('status-select').selectOption('online');
    const agentToken = await page.evaluate(() => (JSON.parse(sessionStorage.getItem('ewc.auth') ?? '{}') as { token?: string }).token ?? '');
    expect(agentToken).not.toBe('');

    const token = (await w.p.tpi({ type: 3, loginName: 'app-9', name: '王女士' })).token as string;
    const minuteAgo = Date.now() - 60_000;
    const tracks = JSON.stringify([
      { title: '运动鞋 · 商品详情', url: 'https://shop.example/p/42', time: minuteAgo },
      { title: '<img src=x onerror="window.hacked=1">', url: 'javascript:window.hacked=2' },
    ]);
    expect(await w.p.tpi({ type: 1000, token, queueId: 1, nickname: '王女士', from: 'APP', brand: '优选商城 App', tracks, ip: '203.0.113.7' })).toMatchObject({ result: 1 });
    const create = await w.tp.waitFor(() => w.tp.ofName('create').find((c) => c.body.clientId === 'app-9'));
    const sessionId = create.body.sessionId as number;
    await page.locator(`[data-testid=chat-list-item][data-session-id="${sessionId}"]`).click();
    const view = page.locator(`[data-testid=chat-view][data-session-id="${sessionId}"]`);
    await view.waitFor();

    const upload = async (name: string, data: Buffer) => {
      const form = new FormData();
      form.set('token', token);
      form.set('fileToUpload', new Blob([new Uint8Array(data)]), name);
      const answer = (await (await fetch(`${w.p.url}/webchat/tpiu`, { method: 'POST', body: form })).json()) as { result: number; message: string; url?: string };
      expect(answer, answer.message).toMatchObject({ result: 1 });
      return answer.url!;
    };
    const send = async (body: Record<string, unknown>) => expect(await w.p.tpi({ token, sessionId, ...body }), `type ${String(body.type)}`).toMatchObject({ result: 1 });

    await send({ type: 2001, text: '你好，我发一下订单的资料' });
    await send({ type: 2003, voiceLength: 2, voiceData: MP3.toString('base64'), voiceType: 'mp3', messageId: 'v-1' });
    await send({ type: 2003, voiceLength: 3, voiceData: AMR.toString('base64'), messageId: 'v-2' });
    await send({ type: 2004, latitude: 31.2304, longitude: 121.4737, poi: '上海市黄浦区人民大道200号', thumbData: made.map.toString('base64'), thumbWidth: 160, thumbHeight: 120, messageId: 'l-1' });
    await send({ type: 2005, name: '发票-2024.pdf', fileUrl: await upload('invoice.pdf', PDF), messageId: 'f-1', extra: '订单号 A-1024' });
    await send({ type: 2006, sightUri: await upload('clip.mp4', made.mp4), sightLength: 1, sightName: '开箱视频.mp4', thumbData: made.poster.toString('base64'), thumbWidth: 160, thumbHeight: 120, messageId: 'm-1' });
    await send({ type: 2005, name: '身份证照片.pdf', fileUrl: await upload('id.pdf', PDF), messageId: 'f-2' });

    const fetched = (await w.p.api<SessionView>('GET', `/api/v1/agent/sessions/${sessionId}`, agentToken)).body;
    const of = (kind: string, n = 0) => fetched.messages.filter((m) => m.kind === kind)[n]!;
    const bubble = (id: number) => view.locator(`[data-testid=message][data-message-id="${id}"]`);

    // Voice, MP3: a player that has the bytes and plays them.
    const mp3 = bubble(of('voice', 0).id);
    const mp3Player = mp3.locator('[data-testid=media-voice][data-playable=true] [data-testid=voice-player][data-ready=true]');
    await mp3Player.waitFor();
    const audio = await metadataOf(mp3Player);
    expect(audio.src).toMatch(/^blob:/);
    expect(audio.duration).toBeGreaterThan(1.5);
    expect(audio.duration).toBeLessThan(2.5);
    expect(await mp3.getByTestId('media-seconds').textContent()).toBe('语音 · 2 秒');

    // Voice, AMR: no player; a download saying why, of the very bytes sent.
    const amr = bubble(of('voice', 1).id);
    await amr.getByTestId('voice-download-card').waitFor();
    expect(await amr.locator('audio').count()).toBe(0);
    expect(await amr.getByTestId('media-note').textContent()).toContain('AMR');
    expect(await amr.getByTestId('media-seconds').textContent()).toBe('语音 · 3 秒');
    const amrSaved = await download(page, amr.getByTestId('file-download'));
    expect(amrSaved.bytes.equals(AMR)).toBe(true);
    expect(amrSaved.name).toBe(of('voice', 1).file!.name);

    // Location: the place as text, the coordinates, the map picture, and the map in a new window.
    const place = bubble(of('location').id);
    expect(await place.getByTestId('location-poi').textContent()).toBe('上海市黄浦区人民大道200号');
    expect(await place.getByTestId('location-coords').textContent()).toBe('31.230400, 121.473700');
    const mapLink = place.getByTestId('location-map-link');
    expect(await mapLink.getAttribute('href')).toBe(of('location').location!.mapUrl);
    expect(of('location').location!.mapUrl).toMatch(/^https:\/\//);
    expect(await mapLink.getAttribute('target')).toBe('_blank');
    expect(await mapLink.getAttribute('rel')).toBe('noopener noreferrer');
    const mapImage = place.locator('[data-testid=location-thumb][data-ready=true] img');
    await mapImage.waitFor();
    await expectLoaded(mapImage, 160);

    // File: a card (name, format, size) whose download saves the bytes sent under its name; never inline.
    const file = bubble(of('file', 0).id);
    expect(await file.getByTestId('file-name').textContent()).toBe('发票-2024.pdf');
    expect(await file.getByTestId('file-type').textContent()).toBe('PDF');
    expect(await file.getByTestId('file-size').textContent()).toBe('20 KB');
    expect(await file.getByTestId('message-extra').textContent()).toBe('订单号 A-1024');
    const pdfSaved = await download(page, file.getByTestId('file-download'));
    expect(pdfSaved.bytes.equals(PDF)).toBe(true);
    expect(pdfSaved.name).toBe('发票-2024.pdf');
    expect(await page.locator('iframe, embed, object').count()).toBe(0);

    // Video: a player that has the bytes and decodes them, its first frame as the poster.
    const video = bubble(of('video').id);
    const videoPlayer = video.locator('[data-testid=media-video][data-playable=true] [data-testid=video-player][data-ready=true]');
    await videoPlayer.waitFor();
    await eventually(async () => (await videoPlayer.getAttribute('poster'))?.startsWith('blob:'));
    const clip = await metadataOf(videoPlayer);
    expect(clip.src).toMatch(/^blob:/);
    expect(clip.width).toBe(160);
    expect(await video.getByTestId('file-name').textContent()).toBe('开箱视频.mp4');
    const clipSaved = await download(page, video.getByTestId('file-download'));
    expect(clipSaved.bytes.equals(made.mp4)).toBe(true);

    // Taken back (2024, notice 6): withdrawn, its name gone from the page.
    const secret = bubble(of('file', 1).id);
    await secret.getByTestId('file-name').waitFor();
    await send({ type: 2024, noticeType: 6, notice: 'f-2' });
    await secret.getByTestId('message-revoked').waitFor();
    expect(await view.getByText('身份证照片.pdf').count()).toBe(0);
    expect(await secret.getByTestId('file-download').count()).toBe(0);

    // What the third party told about the customer: text, the trail's pages linked only when http(s).
    const context = view.getByTestId('session-info').getByTestId('customer-context');
    expect(await context.getByTestId('context-brand').textContent()).toBe('优选商城 App');
    expect(await context.getByTestId('context-ip').textContent()).toBe('203.0.113.7');
    const trail = context.getByTestId('context-track-link');
    expect(await trail.count()).toBe(1);
    expect(await trail.textContent()).toBe('运动鞋 · 商品详情');
    expect(await trail.getAttribute('href')).toBe('https://shop.example/p/42');
    expect(await trail.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await context.getByTestId('context-track-text').textContent()).toBe('<img src=x onerror="window.hacked=1">');
    expect(await context.locator('img, a[href^="javascript"]').count()).toBe(0);

    // A rating with further answers: shown under it, live.
    await send({ type: 5001, ratingId: 1, ratingComments: '很满意', ratingExtends: { 响应速度: 5, 问题已解决: true } });
    const extendsList = view.getByTestId('session-rating').getByTestId('rating-extends');
    await extendsList.waitFor();
    expect(await extendsList.locator('[data-testid=rating-extend][data-key="响应速度"] dd').textContent()).toBe('5');
    expect(await extendsList.locator('[data-testid=rating-extend][data-key="问题已解决"] dd').textContent()).toBe('是');

    await view.getByTestId('message-list').evaluate((el) => (el.scrollTop = 0));
    await page.waitForTimeout(1000);
    await page.screenshot({ path: path.join(SHOTS, 'agent-media.png') });
    expect(await page.evaluate(() => (window as unknown as { hacked?: number }).hacked)).toBeUndefined();
    expect(tab.errors).toEqual([]);
    await tab.context.close();
  });
});

async function expectLoaded(image: Locator, width: number): Promise<void> {
  await eventually(async () => (await image.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)) === width);
}

async function eventually(probe: () => Promise<boolean | undefined>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
