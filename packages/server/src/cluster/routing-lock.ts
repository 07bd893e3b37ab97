/**
 * Who runs a routing pass. Within one process the Router already runs one pass at a time;
 * several processes on one store would each run theirs, which stays correct (every accept
 * re-checks the agent's capacity in its own transaction) but wastes work and races for the
 * same requests. A shared lock lets one process route at a time.
 */
export interface RoutingLock {
  /** Runs `pass` if this process may route now; false when another one is routing. */
  tryRun(pass: () => Promise<void>): Promise<boolean>;
}

/** One process: nobody else routes, so every pass runs. */
export class LocalRoutingLock implements RoutingLock {
  async tryRun(pass: () => Promise<void>): Promise<boolean> {
    await pass();
    return true;
  }
}
