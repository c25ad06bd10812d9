/**
 * The CLI's files linted on every core: a pool of worker threads (Node's `worker_threads`, one per core), each
 * holding a share of the files balanced by size. Two rounds, as the serial run has them: each
 * worker analyses its files alone and returns their index entries (keeping the parses); the main thread builds the
 * workspace index from them in file order, renders the charts (which add their renderings), and hands the whole
 * index back as data; each worker then analyses its files against it and returns their reports. The output is the
 * serial run's, in the same order (a test compares them over the corpus).
 *
 * The bin (`cli.ts`) is also the workers' entry: it starts one with `workerData.k8sImageLintWorker` set.
 */
import { availableParallelism } from 'node:os';
import { parentPort, Worker } from 'node:worker_threads';
import { analyze, DocumentCache, WorkspaceIndex, type Finding, type Settings } from '../service/index';
import type { FileEntry } from '../service/workspace/types';
import { indexEntry, safely, withReleased } from './lint';
import { fileReport, type ReportFile } from './report';

/**
 * Below this many files the pool is not started by default: on a 2-vCPU machine parsing scales poorly across
 * threads (two workers parse YAML 1.33× as fast as one), so the corpus (467 files) runs 10 % slower with a pool,
 * istio's 3,134 files 10 % faster (docs/performance.md).
 */
export const PARALLEL_MIN_FILES = 1000;

export interface WorkerFile {
  path: string;
  uri: string;
  text: string;
  settings: Settings;
}

type Request =
  | { kind: 'index'; files: WorkerFile[] }
  | { kind: 'report'; entries: FileEntry[]; skip: string[]; released: Record<string, Finding[]> };

type Response =
  | { kind: 'index'; entries: (FileEntry | null)[]; errors: string[][] }
  | { kind: 'report'; reports: (ReportFile | null)[]; errors: string[][] };

/**
 * The pool for a run of `files` files, or undefined for the serial run: by default one worker per core (the main
 * thread waits while they work) from PARALLEL_MIN_FILES files on; `K8S_IMAGE_LINT_WORKERS=N` asks for N workers
 * whatever the number of files (0: always serial).
 */
export function poolFor(entry: string, env: NodeJS.ProcessEnv = process.env): (files: number) => LintPool | undefined {
  let pool: LintPool | undefined;
  const set = Number.parseInt(env.K8S_IMAGE_LINT_WORKERS ?? '', 10);
  const explicit = Number.isInteger(set) && set >= 0;
  const cores = availableParallelism();
  const size = explicit ? Math.min(set, 64) : cores > 1 ? Math.min(cores, 16) : 0;
  return (files) => {
    if (size === 0 || files < (explicit ? 2 : PARALLEL_MIN_FILES)) return undefined;
    return (pool ??= new LintPool(entry, size));
  };
}

const started = new Set<LintPool>();

export class LintPool {
  private readonly workers: Worker[];
  private slices: WorkerFile[][] = [];
  /** The files (by index) each worker holds. */
  private slots: number[][] = [];

  constructor(entry: string, size: number) {
    this.workers = Array.from({ length: size }, () => new Worker(entry, { workerData: { k8sImageLintWorker: true } }));
    started.add(this);
  }

  get size(): number {
    return this.workers.length;
  }

  /** Round one: each file analysed alone; its index entry (null where the analysis failed) and errors, in file order. */
  async index(files: readonly WorkerFile[]): Promise<{ entries: (FileEntry | null)[]; errors: string[][] }> {
    // Balanced by size (a repository's few huge files would otherwise all land in one worker), largest first to the
    // least loaded; the answers are put back in file order.
    const load = this.workers.map(() => 0);
    this.slots = this.workers.map(() => []);
    const order = files.map((f, i) => i).sort((a, b) => files[b].text.length - files[a].text.length || a - b);
    for (const i of order) {
      const w = load.indexOf(Math.min(...load));
      this.slots[w].push(i);
      load[w] += files[i].text.length + 2000;
    }
    for (const slot of this.slots) slot.sort((a, b) => a - b);
    this.slices = this.slots.map((slot) => slot.map((i) => files[i]));
    const answers = await Promise.all(this.workers.map((w, i) => ask(w, { kind: 'index', files: this.slices[i] })));
    return { entries: this.inFileOrder(answers.map((a) => (a.kind === 'index' ? a.entries : [])), null), errors: this.inFileOrder(answers.map((a) => a.errors), []) };
  }

  /** Round two: each file (but `skip`) against the whole index; reports and errors in file order. */
  async report(entries: FileEntry[], skip: ReadonlySet<string>, released: ReadonlyMap<string, Finding[]>): Promise<{ reports: (ReportFile | null)[]; errors: string[][] }> {
    const answers = await Promise.all(this.workers.map((w, i) => {
      const mine = this.slices[i];
      const own = Object.fromEntries(mine.flatMap((f) => (released.has(f.uri) ? [[f.uri, released.get(f.uri)!]] : [])));
      return ask(w, { kind: 'report', entries, skip: mine.filter((f) => skip.has(f.uri)).map((f) => f.uri), released: own });
    }));
    return { reports: this.inFileOrder(answers.map((a) => (a.kind === 'report' ? a.reports : [])), null), errors: this.inFileOrder(answers.map((a) => a.errors), []) };
  }

  /** Per-worker answers (in each worker's slot order) put back in file order; `missing` where none came. */
  private inFileOrder<T>(perWorker: T[][], missing: T): T[] {
    const out: T[] = new Array(this.slots.reduce((n, slot) => n + slot.length, 0)).fill(missing);
    perWorker.forEach((answers, w) => this.slots[w].forEach((i, j) => {
      if (j < answers.length) out[i] = answers[j];
    }));
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  /** Closes the pool `poolFor` started, if any. */
  static async closeAll(): Promise<void> {
    await Promise.all([...started].map((p) => p.close()));
    started.clear();
  }
}

function ask(worker: Worker, request: Request): Promise<Response> {
  return new Promise((resolve, reject) => {
    const onMessage = (r: Response) => {
      worker.off('error', onError);
      resolve(r);
    };
    const onError = (e: Error) => {
      worker.off('message', onMessage);
      reject(e);
    };
    worker.once('message', onMessage);
    worker.once('error', onError);
    worker.postMessage(request);
  });
}

/** The worker's side: answers the two rounds for its slice, keeping each file's parse between them. */
export function serveLintWorker(): void {
  const port = parentPort;
  if (!port) return;
  let files: WorkerFile[] = [];
  let caches: DocumentCache[] = [];
  port.on('message', (request: Request) => {
    if (request.kind === 'index') {
      files = request.files;
      caches = files.map(() => new DocumentCache());
      const errors: Set<string>[] = [];
      const entries = files.map((f, i) => {
        const errs = new Set<string>();
        errors.push(errs);
        return indexEntry(f, errs, caches[i]);
      });
      port.postMessage({ kind: 'index', entries, errors: errors.map((e) => [...e]) } satisfies Response);
      return;
    }
    const index = new WorkspaceIndex();
    for (const entry of request.entries) index.set(entry);
    const skip = new Set(request.skip);
    const errors: Set<string>[] = [];
    const reports = files.map((f, i) => {
      const errs = new Set<string>();
      errors.push(errs);
      if (skip.has(f.uri)) return null;
      const analysis = safely(f.path, errs, () => analyze(f.text, f.settings, { uri: f.uri, workspace: index, documents: caches[i] }));
      caches[i] = new DocumentCache();
      return analysis && fileReport(f.path, withReleased(analysis, request.released[f.uri]));
    });
    caches = [];
    port.postMessage({ kind: 'report', reports, errors: errors.map((e) => [...e]) } satisfies Response);
  });
}
