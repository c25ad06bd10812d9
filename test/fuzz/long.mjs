// `npm run fuzz`: the long run of the fuzzers (test/fuzz), after `npm run build`. Every property runs FUZZ_RUNS
// times (default 20000, scaled per property; see config.ts) with a fresh seed, printed so that a failure can be
// replayed with FUZZ_SEED=<seed>. Extra arguments go to `node --test` (e.g. --test-name-pattern=streams).
//
//   npm run fuzz                         FUZZ_RUNS=20000, a new seed
//   FUZZ_RUNS=2000 FUZZ_SEED=42 npm run fuzz
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../../..');
const env = { ...process.env, FUZZ_RUNS: process.env.FUZZ_RUNS || '20000' };
if (!env.FUZZ_SEED) env.FUZZ_SEED = String(Date.now() % 2 ** 31);
console.log(`fuzz: FUZZ_RUNS=${env.FUZZ_RUNS} FUZZ_SEED=${env.FUZZ_SEED}`);
const run = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...process.argv.slice(2), 'out/test/fuzz'], { cwd: root, env, stdio: 'inherit' });
process.exit(run.status ?? 1);
