/** The real platform for browser tests, serving the built console, with a test third party. */
import { startTestPlatform, type TestPlatform, type TestPlatformOptions } from '../../packages/server/src/test-support/platform.js';
import { ThirdParty } from '../../packages/server/src/test-support/third-party.js';
import type { Provisioning } from '../../packages/server/src/provisioning/schema.js';

export interface World {
  p: TestPlatform;
  tp: ThirdParty;
  close(): Promise<void>;
}

export const PASSWORD = 'e2e-password';

/** `config`: the platform's own settings, over the tests' defaults. */
export async function startWorld(extra: Partial<Provisioning> = {}, config?: TestPlatformOptions['config']): Promise<World> {
  const tp = new ThirdParty();
  const base = await tp.start();
  const p = await startTestPlatform({
    provisioning: {
      queues: [
        { id: 1, name: '售前咨询', whenNoAgentOnline: 'wait' },
        { id: 2, name: '售后服务', whenNoAgentOnline: 'wait' },
        ...(extra.queues ?? []),
      ],
      agents: [
        { id: 'SELITE', username: 'elite', password: PASSWORD, name: 'Elite', alias: '坐席A', maxChats: 25, queues: [1, 2] },
        { id: 'SUP', username: 'sup', password: PASSWORD, name: '主管', role: 'supervisor' },
        { id: 'ADM', username: 'admin', password: PASSWORD, name: '管理员', role: 'admin' },
        ...(extra.agents ?? []),
      ],
      channels: [{ id: 'wechat', callbackBase: base }, ...(extra.channels ?? [])],
      ...(extra.ratings ? { ratings: extra.ratings } : {}),
    },
    ...(config ? { config } : {}),
  });
  return {
    p,
    tp,
    async close() {
      await p.close();
      await tp.stop();
    },
  };
}
