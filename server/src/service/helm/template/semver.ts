/**
 * Sprig's `semverCompare` (Masterminds/semver v3 constraints) for what charts write about the Kubernetes version:
 * `>=1.21-0`, `<1.25.0`, `^1.2`, `~1.20`, `1.x`, ranges with spaces or commas (AND) and `||` (OR). Pre-release
 * versions satisfy a constraint only when it has a pre-release part (`-0`), as in semver v3.
 */
interface Version { major: number; minor: number; patch: number; pre: string }

function parse(v: string): Version | null {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(v.trim());
  return m ? { major: +m[1], minor: +(m[2] ?? 0), patch: +(m[3] ?? 0), pre: m[4] ?? '' } : null;
}

function compare(a: Version, b: Version): number {
  for (const k of ['major', 'minor', 'patch'] as const) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  if (a.pre === b.pre) return 0;
  if (a.pre === '') return 1;
  if (b.pre === '') return -1;
  const pa = a.pre.split('.');
  const pb = b.pre.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if (pa[i] === undefined) return -1;
    if (pb[i] === undefined) return 1;
    const na = /^\d+$/.test(pa[i]);
    const nb = /^\d+$/.test(pb[i]);
    if (na && nb && +pa[i] !== +pb[i]) return +pa[i] < +pb[i] ? -1 : 1;
    if (na !== nb) return na ? -1 : 1;
    if (pa[i] !== pb[i]) return pa[i] < pb[i] ? -1 : 1;
  }
  return 0;
}

function satisfies(v: Version, c: string): boolean {
  const m = /^(>=|<=|!=|=>|=<|>|<|=|~>|~|\^)?\s*v?([0-9xX*]+(?:\.[0-9xX*]+)?(?:\.[0-9xX*]+)?(?:-[0-9A-Za-z.-]+)?)$/.exec(c.trim());
  if (!m) return false;
  const op = m[1] ?? '=';
  const parts = m[2].split('-')[0].split('.');
  const wild = parts.findIndex((p) => /^[xX*]$/.test(p));
  const given = wild >= 0 ? wild : parts.length;
  const target = parse(m[2].replace(/[xX*]/g, '0'));
  if (!target) return false;
  if (v.pre !== '' && target.pre === '') return false;
  const cmp = compare(v, target);
  const upper = (level: number): Version => (level <= 0 ? { major: target.major + 1, minor: 0, patch: 0, pre: '' } : level === 1 ? { major: target.major, minor: target.minor + 1, patch: 0, pre: '' } : { ...target, patch: target.patch + 1, pre: '' });
  switch (op) {
    case '>': return wild >= 0 ? compare(v, upper(given - 1)) >= 0 : cmp > 0;
    case '>=': case '=>': return cmp >= 0;
    case '<': return cmp < 0;
    case '<=': case '=<': return wild >= 0 ? compare(v, upper(given - 1)) < 0 : cmp <= 0;
    case '!=': return cmp !== 0;
    case '~': case '~>': return cmp >= 0 && compare(v, upper(given >= 2 ? 1 : 0)) < 0;
    case '^': return cmp >= 0 && compare(v, upper(target.major > 0 || given < 2 ? 0 : target.minor > 0 || given < 3 ? 1 : 2)) < 0;
    default: return wild >= 0 ? cmp >= 0 && compare(v, upper(given - 1)) < 0 : cmp === 0;
  }
}

export function semverCompare(constraint: string, version: string): boolean {
  const v = parse(version);
  if (!v) return false;
  return constraint.split('||').some((alt) => alt.trim().split(/\s*,\s*|\s+(?![<>=!~^])|\s+(?=[<>=!~^])/).filter(Boolean).every((c) => satisfies(v, c)));
}
