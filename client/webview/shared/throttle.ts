/**
 * "At most every `interval` ms, the first at once": the first call runs immediately; calls during the following
 * interval are folded into one run at its end. Used by the panel to re-request the graph while the user types.
 */
export interface TimerApi {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

const realTimers: TimerApi = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

export class Throttle {
  private last = -Infinity;
  private pending: unknown;

  constructor(private readonly interval: number, private readonly run: () => void, private readonly timers: TimerApi = realTimers) {}

  trigger(): void {
    if (this.pending !== undefined) return;
    const wait = this.last + this.interval - this.timers.now();
    if (wait <= 0) {
      this.fire();
      return;
    }
    this.pending = this.timers.setTimeout(() => this.fire(), wait);
  }

  /** Runs now, dropping a pending run (a full refresh replaces it). */
  flush(): void {
    this.cancel();
    this.fire();
  }

  cancel(): void {
    if (this.pending !== undefined) this.timers.clearTimeout(this.pending);
    this.pending = undefined;
  }

  private fire(): void {
    this.pending = undefined;
    this.last = this.timers.now();
    this.run();
  }
}
