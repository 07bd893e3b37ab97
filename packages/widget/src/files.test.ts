import { describe, expect, it } from 'vitest';
import { agentFileUrl } from './files';

const ORIGIN = 'https://chat.example.com';
const ID = 'Zx8_k3-Qm2Lp9Tr4Vw1Ya6Bc';

describe('agentFileUrl', () => {
  it('puts an agent’s file on the platform’s origin, whatever page embeds the chat', () => {
    expect(agentFileUrl(`/webchat/files/${ID}`, ORIGIN)).toBe(`${ORIGIN}/webchat/files/${ID}`);
    // No origin known (tests, a page without one): the path, which the browser reads against the chat's own page.
    expect(agentFileUrl(`/webchat/files/${ID}`, '')).toBe(`/webchat/files/${ID}`);
  });

  it('takes nothing else: no other path, host, scheme or trick', () => {
    for (const url of [
      '/api/v1/webchat/web/images/3',
      `https://evil.example/webchat/files/${ID}`,
      `//evil.example/webchat/files/${ID}`,
      `javascript:alert(1)//webchat/files/${ID}`,
      `/webchat/files/${ID}/../../api`,
      `/webchat/files/${ID}?x=1`,
      '/webchat/files/short',
      `/webchat/files/${ID} `,
      '',
    ])
      expect(agentFileUrl(url, ORIGIN), url).toBeNull();
  });
});
