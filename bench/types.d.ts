// autocannon ships no types; these cover the part of its programmatic API that load.mjs uses.
declare module 'autocannon' {
  export interface Stats {
    mean: number;
    stddev: number;
    min: number;
    max: number;
    total: number;
    p50: number;
    p90: number;
    p99: number;
  }
  export interface Result {
    title?: string;
    requests: Stats;
    latency: Stats;
    throughput: Stats;
    duration: number;
    errors: number;
    timeouts: number;
    mismatches: number;
    non2xx: number;
    '2xx': number;
  }
  function autocannon(options: Record<string, unknown>): Promise<Result>;
  export default autocannon;
}
