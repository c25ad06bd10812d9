/**
 * How much the fuzzers run. `npm test` runs a bounded, reproducible run (a fixed seed, a few hundred inputs,
 * well under a minute); `npm run fuzz` sets FUZZ_RUNS to run every property that many times (scaled by its
 * weight) with a fresh seed, printed so a failure can be replayed with FUZZ_SEED.
 *
 *   FUZZ_RUNS=20000 node --test out/test/fuzz          what `npm run fuzz` does (test/fuzz/long.mjs)
 *   FUZZ_SEED=123 FUZZ_RUNS=500 node --test out/test/fuzz   replay a seed
 */
import fc, { type Parameters } from 'fast-check';

const envRuns = Number(process.env.FUZZ_RUNS);
/** True in the long run (`npm run fuzz`). */
export const LONG = Number.isFinite(envRuns) && envRuns > 0;
const envSeed = Number(process.env.FUZZ_SEED);
/** The bounded run is reproducible; the long run explores a new part of the space each time. */
export const SEED = Number.isInteger(envSeed) ? envSeed : LONG ? Date.now() % 2 ** 31 : 20260611;

/**
 * fast-check parameters for one property: `bounded` runs in `npm test`, `FUZZ_RUNS × weight` in the long run.
 */
export function params<T>(bounded: number, weight = 1): Parameters<T> {
  const numRuns = LONG ? Math.max(1, Math.round(envRuns * weight)) : bounded;
  return { numRuns, seed: SEED };
}

/** A note for the test log: which seed ran, so a failure elsewhere in the run can be replayed. */
export function seedNote(): string {
  return `fuzz seed ${SEED} (${LONG ? `long run, FUZZ_RUNS=${envRuns}` : 'bounded run'}); replay with FUZZ_SEED=${SEED}`;
}

/**
 * `fc.assert` with a readable report: the shrunk counterexample rendered by `show` (e.g. as the YAML text it
 * stands for), the violated property, and how to replay the run.
 */
export function holds<Ts extends [unknown, ...unknown[]]>(
  property: fc.IProperty<Ts>,
  parameters: fc.Parameters<NoInfer<Ts>>,
  show: (...values: NoInfer<Ts>) => string = (...values) => fc.stringify(values),
): void {
  const details = fc.check(property, parameters);
  if (!details.failed) return;
  const values = details.counterexample;
  const rendered = values ? show(...values) : '(no counterexample)';
  const reason = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  throw new Error([
    `Property failed after ${details.numRuns} runs (seed ${details.seed}, path "${details.counterexamplePath}"; replay with FUZZ_SEED=${details.seed}).`,
    `Reason: ${reason.length > 3000 ? `${reason.slice(0, 3000)}…` : reason}`,
    'Shrunk counterexample:',
    rendered.length > 4000 ? `${rendered.slice(0, 4000)}… (${rendered.length} characters)` : rendered,
  ].join('\n'));
}
