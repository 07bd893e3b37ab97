/**
 * One run of some work at a time (a fetch): a call while it runs asks for one more run after
 * it, however many calls came meanwhile, and returns the run under way.
 */
export class Coalesced {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly work: () => Promise<void>) {}

  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = this.work().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        void this.run();
      }
    });
    this.running = run;
    return run;
  }

  /** From inside the work: its result is stale already, run once more after it. */
  runAgain(): void {
    this.again = true;
  }
}
