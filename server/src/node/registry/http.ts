/**
 * One HTTP exchange with a registry or its token service, with the safety rules in one place:
 * - HTTPS only, except to hosts listed in `registry.insecure` (checked again at every redirect hop);
 * - the `Authorization` header goes only to the origin it was made for: redirects are followed by hand, and
 *   one that leaves that origin drops it for the rest of the exchange;
 * - a timeout on every exchange (headers and body), a small number of exchanges at a time per host;
 * - `429` waits for `Retry-After` when that is short and otherwise fails fast, and keeps failing fast for that
 *   host until the time has passed; a `5xx` is tried once more.
 */
import { RegistryFailure, fetchFailure } from './errors';
import { transportRefusal } from './hosts';
import { Limiter } from './limiter';

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** An `Authorization` value, sent only to the origin of `url`. */
  authorization?: string | null;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** The body (empty for HEAD), at most {@link MAX_BODY} bytes. */
  body: Buffer;
  /** Where the answer came from, after redirects. */
  url: URL;
  /** True when the final hop carried the `Authorization` header. */
  authorized: boolean;
}

/** Per call: what the user's settings allow. */
export interface HttpPolicy {
  timeoutMs: number;
  insecure: readonly string[];
}

export interface HttpOptions {
  /** Exchanges at a time per host (default 4). */
  concurrency?: number;
  /** The longest `Retry-After` waited for before retrying; longer ones fail with `rate-limited` (default 10 s). */
  maxRetryWaitMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  userAgent?: string;
}

/** Manifests are at most 4 MB by the distribution spec; tag lists of big repositories can be long. */
export const MAX_BODY = 16 * 1024 * 1024;
const MAX_REDIRECTS = 5;
/** The longest a `Retry-After` is honoured: one hour, then the host is asked again. */
export const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export class RegistryHttp {
  /** HTTP requests sent, redirects and retries included (for tests and the bench). */
  requests = 0;
  private readonly limiter: Limiter;
  private readonly blockedUntil = new Map<string, number>();
  private readonly maxRetryWaitMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly userAgent: string;

  constructor(options: HttpOptions = {}) {
    this.limiter = new Limiter(options.concurrency ?? 4);
    this.maxRetryWaitMs = options.maxRetryWaitMs ?? 10_000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.userAgent = options.userAgent ?? 'k8s-image-lint';
  }

  async send(req: HttpRequest, policy: HttpPolicy): Promise<HttpResponse> {
    const url = new URL(req.url);
    for (let attempt = 0; ; attempt++) {
      await this.waitIfBlocked(url.host);
      const res = await this.limiter.run(url.host, () => this.exchange(req, url, policy));
      if (res.status === 429) {
        // Capped: a registry cannot silence itself for a day (or forever) with one answer.
        const wait = Math.min(retryAfterMs(res.headers.get('retry-after'), this.now()) ?? 1000, MAX_RETRY_AFTER_MS);
        if (attempt < 2 && wait <= this.maxRetryWaitMs) {
          await this.sleep(wait);
          continue;
        }
        this.blockedUntil.set(url.host, this.now() + wait);
        throw rateLimited(url.host, wait);
      }
      if (res.status >= 500 && attempt === 0 && req.method !== 'POST') {
        const wait = Math.min(retryAfterMs(res.headers.get('retry-after'), this.now()) ?? 200, this.maxRetryWaitMs);
        await this.sleep(wait);
        continue;
      }
      return res;
    }
  }

  /** Fails fast while a host's long `Retry-After` has not passed; waits when the rest is short. */
  private async waitIfBlocked(host: string): Promise<void> {
    const until = this.blockedUntil.get(host);
    if (until === undefined) return;
    const left = until - this.now();
    if (left <= 0) {
      this.blockedUntil.delete(host);
      return;
    }
    if (left > this.maxRetryWaitMs) throw rateLimited(host, left);
    await this.sleep(left);
  }

  /** One request, following redirects by hand; the timeout covers every hop and the body. */
  private async exchange(req: HttpRequest, start: URL, policy: HttpPolicy): Promise<HttpResponse> {
    const signal = AbortSignal.timeout(policy.timeoutMs);
    const authOrigin = start.origin;
    let authorization = req.authorization ?? null;
    let payload = req.body;
    let url = start;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const refusal = transportRefusal(url, policy.insecure);
      if (refusal) throw new RegistryFailure('insecure', refusal);
      const headers: Record<string, string> = { 'User-Agent': this.userAgent, ...req.headers };
      const authorized = authorization !== null && url.origin === authOrigin;
      if (authorized) headers.Authorization = authorization!;
      this.requests++;
      let res: Response;
      let body: Buffer;
      try {
        res = await fetch(url, { method: req.method, headers, body: payload, redirect: 'manual', signal });
        const location = res.headers.get('location');
        if (REDIRECTS.has(res.status) && location) {
          await res.body?.cancel().catch(() => undefined);
          const next = new URL(location, url);
          // Leaving the origin the credentials were made for: they stay behind for good, and so does a body (a
          // token request's body holds the refresh token): such a request is not sent on at all.
          if (next.origin !== authOrigin) {
            authorization = null;
            if (payload !== undefined) throw new RegistryFailure('server', `${url.host} redirected a token request to another host (${next.host}); it is not followed.`);
          }
          if (res.status !== 307 && res.status !== 308) payload = undefined;
          url = next;
          continue;
        }
        body = req.method === 'HEAD' ? Buffer.alloc(0) : await readBody(res);
      } catch (e) {
        throw fetchFailure(e, url.host, policy.timeoutMs, url.protocol === 'https:');
      }
      return { status: res.status, headers: res.headers, body, url, authorized };
    }
    throw new RegistryFailure('server', `${start.host} redirected more than ${MAX_REDIRECTS} times; giving up.`);
  }
}

async function readBody(res: Response): Promise<Buffer> {
  if (!res.body) return Buffer.alloc(0);
  const declared = Number(res.headers.get('content-length'));
  if (declared > MAX_BODY) {
    await res.body.cancel().catch(() => undefined);
    throw new RegistryFailure('server', `The registry sent ${declared} bytes where a manifest or tag list was expected; ignored.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY) {
      await reader.cancel().catch(() => undefined);
      throw new RegistryFailure('server', `The registry sent more than ${MAX_BODY} bytes where a manifest or tag list was expected; ignored.`);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

/** `Retry-After` in ms: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function rateLimited(host: string, waitMs: number): RegistryFailure {
  const seconds = Math.ceil(waitMs / 1000);
  const when = seconds >= 120 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} s`;
  return new RegistryFailure('rate-limited', `${host} is rate-limiting requests (HTTP 429); try again in ${when}.`);
}
