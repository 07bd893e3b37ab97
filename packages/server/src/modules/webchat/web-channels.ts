/** The web chat channels, by id, from the channel directory's cache (reloaded when channels change). */
import type { WebChannelOptions } from '../../db/schema.js';
import type { ChannelRow } from '../../db/schema.js';
import type { WebChannel } from './visitors.js';

export class WebChannels {
  private readonly parsed = new WeakMap<ChannelRow, WebChannel>();

  constructor(private readonly byId: (id: string) => ChannelRow | undefined) {}

  get(id: string): WebChannel | undefined {
    const row = this.byId(id);
    if (!row || row.kind !== 'web' || !row.web) return undefined;
    let channel = this.parsed.get(row);
    if (!channel) {
      channel = { row, options: JSON.parse(row.web) as WebChannelOptions };
      this.parsed.set(row, channel);
    }
    return channel;
  }
}
