/**
 * Which visitor a framed chat asks for: it waits a moment for the page's identity, and an
 * identity that comes later asks again as that person instead of leaving the customer anonymous.
 */
import { describe, expect, it } from 'vitest';
import { PageContext } from './page-context';
import { fakeTimers } from './test-support';

const ANN = { userId: 'ann', hash: 'a'.repeat(64) };

function world() {
  const { timers, advance } = fakeTimers();
  /** The identity each request for the visitor carried. */
  const asked: (string | undefined)[] = [];
  let finishBoot!: () => void;
  const context: PageContext = new PageContext({
    boot: () => {
      asked.push(context.identity?.userId);
      return new Promise<void>((resolve) => (finishBoot = resolve));
    },
    visitAgain: async () => void asked.push(context.identity?.userId),
    timers,
  });
  return { context, asked, advance, finishBoot: () => finishBoot() };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the page context of a framed chat', () => {
  it('asks once, as the person the page names, when the identity comes in time', async () => {
    const w = world();
    w.context.start(1_500);
    w.advance(1_000);
    expect(w.asked).toEqual([]);
    w.context.arrived(ANN);
    expect(w.asked).toEqual(['ann']);
    w.finishBoot();
    // Sent again on every opening of the chat: nothing more to ask.
    w.context.arrived(ANN);
    w.advance(1_000);
    await settle();
    expect(w.asked).toEqual(['ann']);
  });

  it('asks without an identity after the wait, and again as the person once a late identity comes, after the first answer', async () => {
    const w = world();
    w.context.start(1_500);
    w.advance(1_500);
    expect(w.asked).toEqual([undefined]);
    w.context.arrived(ANN);
    await settle();
    // Not while the first request is under way: its answer would come after and win.
    expect(w.asked).toEqual([undefined]);
    w.finishBoot();
    await settle();
    expect(w.asked).toEqual([undefined, 'ann']);
    w.context.arrived(ANN);
    await settle();
    expect(w.asked).toEqual([undefined, 'ann']);
  });

  it('asks once, without an identity, for a page that sends none (late or not)', async () => {
    const w = world();
    w.context.start(1_500);
    w.advance(1_500);
    w.finishBoot();
    w.context.arrived(undefined);
    await settle();
    expect(w.asked).toEqual([undefined]);
  });
});
