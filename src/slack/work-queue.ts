/**
 * Work done after `ack()`. Jobs with the same key (one review, one channel) run in order, so a
 * question is never posted before the message it follows is updated; jobs with different keys run
 * side by side up to a limit. Every job starts on a later turn of the event loop, so a burst of
 * requests gets its acknowledgements out before the database and Web API work begins.
 */
export class WorkQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly pending = new Set<Promise<void>>();
  private readonly waiting: (() => void)[] = [];
  private running = 0;

  constructor(
    private readonly onError: (error: unknown, key: string) => void,
    private readonly concurrency = 8,
    /** Resolves when it is a good moment to start work (see QuietGate). */
    private readonly gate: () => Promise<void> = () => Promise.resolve(),
  ) {}

  run(key: string, job: () => Promise<void>): void {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(() => this.inSlot(job)).catch((e: unknown) => this.onError(e, key));
    this.tails.set(key, next);
    this.pending.add(next);
    void next.finally(() => {
      this.pending.delete(next);
      if (this.tails.get(key) === next) this.tails.delete(key);
    });
  }

  /** Resolves once every queued job, and any job those jobs queued, has finished. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private async inSlot(job: () => Promise<void>): Promise<void> {
    if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      await new Promise<void>((resolve) => setImmediate(resolve));
      await this.gate();
      await job();
    } finally {
      // Hand the slot straight to the next waiting job, so the limit holds even for a moment.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

/**
 * Counts requests that have arrived but not been answered yet. Work after an ack waits until none
 * are open and none arrived for `quietMs` (or until `maxWaitMs` has passed), so a burst of requests
 * is acknowledged first and its database writes and Web API calls follow, instead of delaying every
 * later ack in the burst.
 */
export class QuietGate {
  private open = 0;
  private lastActivity = 0;
  private waiters: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly quietMs = 5,
    private readonly maxWaitMs = 500,
  ) {}

  enter(): void {
    this.open++;
    this.lastActivity = performance.now();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  leave(): void {
    this.open = Math.max(0, this.open - 1);
    this.lastActivity = performance.now();
    if (this.open === 0 && this.waiters.length > 0) this.arm();
  }

  wait(): Promise<void> {
    if (this.open === 0 && performance.now() - this.lastActivity >= this.quietMs) return Promise.resolve();
    return new Promise((resolve) => {
      const latest = setTimeout(resolve, this.maxWaitMs);
      this.waiters.push(() => {
        clearTimeout(latest);
        resolve();
      });
      if (this.open === 0) this.arm();
    });
  }

  /** Wake the waiters once the quiet period has passed with nothing new arriving. */
  private arm(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.open === 0) for (const wake of this.waiters.splice(0)) wake();
    }, this.quietMs);
  }
}
