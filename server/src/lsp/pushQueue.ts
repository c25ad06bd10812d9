/**
 * Pushed diagnostics, at once when the server is idle. A push asked for starts on the next turn of the event loop
 * (the message being handled finishes first). While a document's push is being computed, asking again for it
 * only marks it: it is pushed once more when the first is done, with its text as it is then. So a keystroke is
 * answered without any delay, and a burst of keystrokes that arrives during a push costs one more push, not one
 * per keystroke. Documents do not wait for each other (a large one parsing ahead in slices lets the others in).
 */
export class PushQueue {
  private readonly running = new Set<string>();
  /** The next push of documents whose push is running. */
  private readonly again = new Map<string, () => Promise<void>>();
  private disposed = false;

  schedule(key: string, push: () => Promise<void>): void {
    // After shutdown nothing runs: a workspace scan finishing late must not talk to a closed connection.
    if (this.disposed) return;
    if (this.running.has(key)) {
      this.again.set(key, push);
      return;
    }
    this.running.add(key);
    setImmediate(() => void this.run(key, push));
  }

  /** Forgets a document's next push (one already running finishes). */
  cancel(key: string): void {
    this.again.delete(key);
  }

  dispose(): void {
    this.disposed = true;
    this.again.clear();
  }

  private async run(key: string, push: () => Promise<void>): Promise<void> {
    let next: (() => Promise<void>) | undefined = push;
    while (next && !this.disposed) {
      // Each push reports its own errors (runSafe); a failing one must not stop the next.
      await next().catch(() => undefined);
      next = this.again.get(key);
      this.again.delete(key);
    }
    this.running.delete(key);
  }
}
