/** A map whose entries expire; the oldest entries go first when it is full. */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();
  private changes = 0;
  /** The earliest expiry among the entries (an upper bound on it after deletions), Infinity when none. */
  private nextExpiry = Infinity;

  constructor(private readonly now: () => number, private readonly maxEntries = 5000) {}

  get(key: string): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.expires <= this.now()) {
      this.entries.delete(key);
      this.changes++;
      return undefined;
    }
    return hit.value;
  }

  set(key: string, value: V, ttlMs: number): void {
    if (ttlMs <= 0) return;
    this.entries.delete(key);
    const expires = this.now() + ttlMs;
    this.entries.set(key, { value, expires });
    this.nextExpiry = Math.min(this.nextExpiry, expires);
    this.changes++;
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(key: string): void {
    if (this.entries.delete(key)) this.changes++;
  }

  clear(): void {
    this.entries.clear();
    this.changes++;
  }

  /**
   * Changes whenever `get` may answer differently for some key: after a set, a delete, a clear, or once an entry
   * has expired (expired entries are dropped then). Cheap while nothing expired: one clock read.
   */
  get version(): number {
    const now = this.now();
    if (now >= this.nextExpiry) {
      let next = Infinity;
      for (const [key, e] of this.entries) {
        if (e.expires <= now) this.entries.delete(key);
        else next = Math.min(next, e.expires);
      }
      this.nextExpiry = next;
      this.changes++;
    }
    return this.changes;
  }
}
