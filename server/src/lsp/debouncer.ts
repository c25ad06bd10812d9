/**
 * Per-key trailing debounce: `schedule(uri, fn)` runs `fn` once, `delayMs` after the last call for that uri.
 * Used for pushed diagnostics so a burst of keystrokes is analysed once.
 */
export class Debouncer {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private disposed = false;

  constructor(private readonly delayMs: number) {}

  /** Runs `fn` after `delayMs` (the debouncer's own delay unless given), unless `key` is scheduled again first. */
  schedule(key: string, fn: () => void, delayMs = this.delayMs): void {
    // After shutdown nothing runs: a workspace scan finishing late must not talk to a closed connection.
    if (this.disposed) return;
    this.cancel(key);
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      fn();
    }, delayMs));
  }

  cancel(key: string): void {
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
  }

  dispose(): void {
    this.disposed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
