import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/http';
import { droppedFiles, pastedImages, sendProblem } from './attachments';

const files = (...list: File[]) => ({ files: list as unknown as FileList });
const clipboard = (text: string, ...list: File[]) => ({ files: list as unknown as FileList, getData: (type: string) => (type === 'text/plain' ? text : '') });
const png = new File([new Uint8Array([0x89, 0x50])], 'image.png', { type: 'image/png' });
const pdf = new File([new Uint8Array([0x25, 0x50])], 'a.pdf', { type: 'application/pdf' });

describe('sendProblem', () => {
  it('names the limit of a file too large when the platform said it, and says it is too large when it did not', () => {
    expect(sendProblem(new ApiError(413, 'PAYLOAD_TOO_LARGE', 'the file is 30000000 bytes, over the limit of 20971520'))).toEqual({ key: 'upload.tooLarge', values: { limit: 20_971_520 } });
    expect(sendProblem(new ApiError(413, 'PAYLOAD_TOO_LARGE', 'Request body is too large'))).toEqual({ key: 'upload.tooLargeNoLimit', values: {} });
  });
  it('says a format is not taken, and which are', () => {
    const problem = sendProblem(new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'none of the formats'));
    expect(problem.key).toBe('upload.unsupported');
    expect(problem.values.types).toMatch(/^PDF, DOCX, .*PNG, JPG, GIF, WEBP$/);
  });
  it('tells an unreadable file, the network and anything else apart', () => {
    expect(sendProblem(new ApiError(400, 'BAD_REQUEST', 'the file is empty')).key).toBe('upload.unreadable');
    expect(sendProblem(new ApiError(0, 'NETWORK', 'offline')).key).toBe('upload.network');
    expect(sendProblem(new ApiError(409, 'SESSION_CLOSED', 'session 4 is closed'))).toEqual({ key: 'upload.failed', values: { error: 'session 4 is closed' } });
    expect(sendProblem(new Error('boom'))).toEqual({ key: 'upload.failed', values: { error: 'boom' } });
  });
});

describe('what a paste or a drop sends', () => {
  it('sends every dropped file (the platform judges each)', () => {
    expect(droppedFiles(files(png, pdf))).toEqual([png, pdf]);
    expect(droppedFiles(null)).toEqual([]);
  });
  it('sends a pasted picture, but not the picture a word processor puts beside copied text', () => {
    expect(pastedImages(clipboard('', png))).toEqual([png]);
    expect(pastedImages(clipboard('', pdf))).toEqual([]);
    expect(pastedImages(clipboard('a row of a spreadsheet', png))).toEqual([]);
    expect(pastedImages(clipboard('just text'))).toEqual([]);
    expect(pastedImages(null)).toEqual([]);
  });
});
