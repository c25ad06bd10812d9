/** At most `limit` tasks at a time per key (a registry host); the others wait in arrival order. */
export class Limiter {
  private readonly running = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(private readonly limit: number) {}

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const busy = this.running.get(key) ?? 0;
    if (busy >= this.limit) {
      // The finishing task hands its slot over: the count stays the same.
      await new Promise<void>((resolve) => {
        const queue = this.waiting.get(key) ?? [];
        queue.push(resolve);
        this.waiting.set(key, queue);
      });
    } else {
      this.running.set(key, busy + 1);
    }
    try {
      return await task();
    } finally {
      const queue = this.waiting.get(key);
      const next = queue?.shift();
      if (queue && queue.length === 0) this.waiting.delete(key);
      if (next) next();
      else {
        const left = (this.running.get(key) ?? 1) - 1;
        if (left <= 0) this.running.delete(key);
        else this.running.set(key, left);
      }
    }
  }

  /** Tasks running now for `key` (for tests and the bench). */
  active(key: string): number {
    return this.running.get(key) ?? 0;
  }
}
