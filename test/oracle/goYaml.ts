import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/** One YAML document as kubectl's decoder (sigs.k8s.io/yaml over gopkg.in/yaml.v2) reads it. */
export interface GoYamlDoc {
  ok: boolean;
  error?: string;
  json?: unknown;
  /** gopkg.in/yaml.v3's error (kustomize's decoder), when it has one. */
  v3error?: string;
}

/** The oracle built by `npm run test:setup` from `test/oracle/goyaml` (Debian's go-yaml packages). */
export function oraclePath(): string {
  const cache = process.env.K8S_IMAGE_LINT_E2E_CACHE ?? join(homedir(), '.cache', 'k8s-image-lint-e2e');
  const path = join(cache, 'goyaml-oracle');
  if (!existsSync(path)) throw new Error(`The go-yaml oracle is missing at ${path}: run npm run test:setup first.`);
  return path;
}

/** The documents of each file as go-yaml reads them, split as kubectl splits a stream (one process for all). */
export function goYamlFiles(paths: readonly string[]): Map<string, GoYamlDoc[]> {
  const out = new Map<string, GoYamlDoc[]>();
  for (let i = 0; i < paths.length; i += 500) {
    const batch = paths.slice(i, i + 500);
    const lines = execFileSync(oraclePath(), batch, { maxBuffer: 1 << 30 }).toString().trim().split('\n');
    for (const line of lines) {
      const r = JSON.parse(line) as { file: string; docs?: GoYamlDoc[]; readError?: string };
      if (r.docs) out.set(r.file, r.docs);
    }
  }
  return out;
}

/** The documents of each text as go-yaml reads them (written to temporary files for the oracle). */
export function goYamlTexts(texts: readonly string[]): GoYamlDoc[][] {
  const dir = mkdtempSync(join(tmpdir(), 'goyaml-'));
  try {
    const paths = texts.map((t, i) => {
      const p = join(dir, `${i}.yaml`);
      writeFileSync(p, t);
      return p;
    });
    const docs = goYamlFiles(paths);
    return paths.map((p) => docs.get(p)!);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
