/**
 * One test world: a test third party on loopback and the real platform, provisioned so that
 * its channel calls back to that third party. By default:
 *
 * - queue 1 ("q"), which waits when nobody is online;
 * - agents A and B (usernames a and b, password PASSWORD), both in queue 1;
 * - a keyless channel `ch` whose callbackBase and allowServerAddr are the third party's URL.
 *
 * A test replaces any of these (`queues`, `agents`, `channels`), adds to them (`more`), and
 * passes the platform's own options (clock, config, tpiHeaders). close() closes every feed
 * opened through the world, the platform and the third party, and throws if any of them saw
 * something malformed (a callback or a realtime event that does not match the protocol).
 */
import type { AgentBridgeSpec, AgentSpec, ChannelSpec, QueueSpec, RatingSpec } from '../provisioning/schema.js';
import { connectAgent, type AgentFeed } from './agent-client.js';
import { openChat } from './chat.js';
import { startTestPlatform, type TestPlatform, type TestPlatformOptions } from './platform.js';
import { ThirdParty } from './third-party.js';

export const PASSWORD = 'pw';

/** An agent of queue 1 with the default password; username is the id in lower case. */
export function agent(id: string, spec: Partial<AgentSpec> = {}): AgentSpec {
  return { id, username: id.toLowerCase(), password: PASSWORD, name: id, queues: [1], ...spec };
}

export const DEFAULT_QUEUES: readonly QueueSpec[] = [{ id: 1, name: 'q', whenNoAgentOnline: 'wait' }];
export const DEFAULT_AGENTS: readonly AgentSpec[] = [agent('A'), agent('B')];
/** The default channel: keyless, calling back to the third party and allowing it as serverAddr. */
export const defaultChannels = (tpUrl: string): ChannelSpec[] => [{ id: 'ch', callbackBase: tpUrl, allowServerAddr: [tpUrl] }];

/** Channels, or a function of the third party's URL that gives them. */
export type Channels = ChannelSpec[] | ((tpUrl: string) => ChannelSpec[]);

export interface WorldOptions extends Omit<TestPlatformOptions, 'provisioning'> {
  /** Instead of the default queues. */
  queues?: QueueSpec[];
  /** Instead of the default agents. */
  agents?: AgentSpec[];
  /** Instead of the default channel. */
  channels?: Channels;
  /** The rating scale (none by default). */
  ratings?: RatingSpec[];
  /** Agent bridges (none by default). */
  agentBridges?: AgentBridgeSpec[];
  /** Added to the queues, agents and channels (the default ones or those given). */
  more?: { queues?: QueueSpec[]; agents?: AgentSpec[]; channels?: Channels };
}

const channelsOf = (channels: Channels | undefined, tpUrl: string): ChannelSpec[] => (typeof channels === 'function' ? channels(tpUrl) : (channels ?? []));

export class World {
  /** The feeds opened through feed(), closed by close(). */
  private readonly feeds: AgentFeed[] = [];

  constructor(
    /** The platform; a test that closes it itself may replace it (close() closes this one). */
    public p: TestPlatform,
    public readonly tp: ThirdParty,
    private readonly agents: readonly AgentSpec[],
  ) {}

  /** Logs in; the password defaults to the one the agent was provisioned with. */
  login(username: string, password = this.passwordOf(username)): Promise<string> {
    return this.p.login(username, password);
  }

  /** Sets an agent's status through the agent API; fails the test unless it is taken. */
  async status(token: string, status: 'online' | 'away' | 'offline'): Promise<void> {
    const res = await this.p.api('PUT', '/api/v1/agent/status', token, { status });
    if (res.status !== 200) throw new Error(`status ${status} answered HTTP ${res.status}: ${JSON.stringify(res.body)}`);
  }

  /** Logs in and goes online: the agent's token. */
  async online(username: string, password?: string): Promise<string> {
    const token = await this.login(username, password);
    await this.status(token, 'online');
    return token;
  }

  /** A customer asks for a chat and an online agent takes it: the session id (see chat.ts). */
  openChat(clientId: string, queueId = 1): Promise<number> {
    return openChat(this.p, this.tp, clientId, queueId);
  }

  /** A live feed for this token, closed (and checked) by close() if the test does not close it. */
  async feed(token: string): Promise<AgentFeed> {
    const feed = await connectAgent(this.p.url, token);
    this.feeds.push(feed);
    return feed;
  }

  /** Closes everything, each even if another fails; then throws every failure, violations included. */
  async close(): Promise<void> {
    const failures: string[] = [];
    const attempt = async (what: string, work: () => unknown) => {
      try {
        await work();
      } catch (error) {
        failures.push(`${what}: ${(error as Error).message}`);
      }
    };
    for (const [i, feed] of this.feeds.splice(0).entries()) await attempt(`feed ${i + 1}`, () => feed.close());
    await attempt('platform', () => this.p.close());
    await attempt('third party', () => this.tp.stop());
    if (failures.length > 0) throw new Error(failures.join('\n'));
  }

  private passwordOf(username: string): string {
    const spec = this.agents.find((a) => a.username === username);
    if (!spec?.password) throw new Error(`no agent with username ${username} and a password in this world`);
    return spec.password;
  }
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const { queues, agents, channels, more, ratings, agentBridges, ...platformOptions } = options;
  const tp = new ThirdParty();
  const tpUrl = await tp.start();
  const allAgents = [...(agents ?? DEFAULT_AGENTS), ...(more?.agents ?? [])];
  let p: TestPlatform;
  try {
    p = await startTestPlatform({
      ...platformOptions,
      provisioning: {
        queues: [...(queues ?? DEFAULT_QUEUES), ...(more?.queues ?? [])],
        agents: allAgents,
        channels: [...(channels === undefined ? defaultChannels(tpUrl) : channelsOf(channels, tpUrl)), ...channelsOf(more?.channels, tpUrl)],
        ...(ratings ? { ratings } : {}),
        ...(agentBridges ? { agentBridges } : {}),
      },
    });
  } catch (error) {
    await tp.stop().catch(() => undefined);
    throw error;
  }
  return new World(p, tp, allAgents);
}
