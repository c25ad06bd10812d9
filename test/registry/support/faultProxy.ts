/**
 * An HTTP proxy in front of the real registry that adds what Debian's registry 2.8.2 never does: spec-style
 * tag pagination (`?n=&last=` and `Link: <…>; rel="next"`), 429 with `Retry-After`, 403 `DENIED`, 5xx, a stripped
 * `Docker-Content-Digest`, a stalled response, and a redirect to another host. Faults are rules matched in
 * order by method and path; each may apply a limited number of times. Everything received is recorded.
 */
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { startServer, type TestServer } from './httpServer';

export type FaultAction =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  | { kind: 'stall' }
  | { kind: 'stall-body' }
  | { kind: 'strip-digest' }
  | { kind: 'redirect'; to: string }
  /** Forward, after a pause (to observe how many requests the client keeps in flight). */
  | { kind: 'delay'; ms: number };

export interface Fault {
  method?: string;
  path: RegExp;
  /** Applies only to requests this accepts (e.g. those carrying an Authorization header). */
  when?: (req: IncomingMessage) => boolean;
  times?: number;
  action: FaultAction;
}

export interface FaultProxy extends TestServer {
  /** Adds a fault; rules are tried in the order added. */
  inject(fault: Fault): void;
  /** Serves tag lists in pages of `n` when the client does not ask for a size (0: no pagination). */
  paginate(n: number): void;
  /** The most requests that were in flight at once. */
  maxInFlight(): number;
  /** Removes every fault and the pagination, and forgets the recorded requests. */
  reset(): void;
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const faults: (Fault & { used: number })[] = [];
  let pageSize = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const target = new URL(upstream);
  const server = await startServer(async (req, res, body) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    const path = req.url ?? '/';
    const fault = faults.find((f) => (!f.method || f.method === req.method) && f.path.test(path) && (!f.when || f.when(req)) && (f.times === undefined || f.used < f.times));
    if (fault) fault.used++;
    const action = fault?.action;
    if (action?.kind === 'status') {
      res.writeHead(action.status, { 'Content-Type': 'application/json', ...action.headers });
      return void res.end(req.method === 'HEAD' ? undefined : action.body ?? '');
    }
    if (action?.kind === 'stall') return; // never answer; the socket is destroyed when the proxy closes
    if (action?.kind === 'redirect') {
      res.writeHead(307, { Location: `${action.to}${path}` });
      return void res.end();
    }
    if (action?.kind === 'delay') await new Promise((r) => setTimeout(r, action.ms));
    const tagList = /^\/v2\/(.+)\/tags\/list(?:\?(.*))?$/.exec(path);
    if (req.method === 'GET' && tagList && (pageSize > 0 || /(^|&)n=/.test(tagList[2] ?? ''))) {
      return paged(req, res, tagList[1], new URLSearchParams(tagList[2] ?? ''), pageSize);
    }
    const up = await forward(req.method ?? 'GET', path, req.headers, body);
    const headers = { ...up.headers };
    if (action?.kind === 'strip-digest') delete headers['docker-content-digest'];
    if (action?.kind === 'stall-body') {
      res.writeHead(up.status, { ...headers, 'content-length': String(up.body.length) });
      res.write(up.body.subarray(0, Math.floor(up.body.length / 2)));
      return; // the rest never comes
    }
    res.writeHead(up.status, headers);
    res.end(req.method === 'HEAD' ? undefined : up.body);
  });

  /** The upstream's answer, whole. */
  function forward(method: string, path: string, reqHeaders: IncomingMessage['headers'], body: string): Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const headers = { ...reqHeaders, host: target.host };
      const up = httpRequest({ host: target.hostname, port: target.port, method, path, headers }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => {
          const h: Record<string, string | string[]> = {};
          for (const [k, v] of Object.entries(r.headers)) if (v !== undefined && k !== 'transfer-encoding' && k !== 'connection') h[k] = v;
          resolve({ status: r.statusCode ?? 502, headers: h, body: Buffer.concat(chunks) });
        });
      });
      up.on('error', reject);
      up.end(body === '' ? undefined : body);
    });
  }

  /** distribution's spec pagination over the upstream's full, unpaginated list, in lexical order. */
  async function paged(req: IncomingMessage, res: ServerResponse, name: string, params: URLSearchParams, defaultN: number): Promise<void> {
    const up = await forward('GET', `/v2/${name}/tags/list`, req.headers, '');
    if (up.status !== 200) {
      res.writeHead(up.status, up.headers);
      return void res.end(up.body);
    }
    const all = ((JSON.parse(up.body.toString('utf8')) as { tags: string[] | null }).tags ?? []).sort();
    const n = Number(params.get('n') ?? defaultN) || defaultN || all.length;
    const last = params.get('last');
    const rest = last === null ? all : all.filter((t) => t > last);
    const page = rest.slice(0, n);
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (rest.length > n) headers.Link = `</v2/${name}/tags/list?n=${n}&last=${encodeURIComponent(page[page.length - 1])}>; rel="next"`;
    res.writeHead(200, headers);
    res.end(JSON.stringify({ name, tags: page }));
  }

  return Object.assign(server, {
    inject: (fault: Fault) => void faults.push({ ...fault, used: 0 }),
    paginate: (n: number) => void (pageSize = n),
    maxInFlight: () => maxInFlight,
    reset: () => {
      faults.length = 0;
      pageSize = 0;
      maxInFlight = 0;
      server.requests.length = 0;
    },
  });
}
