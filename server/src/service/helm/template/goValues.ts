/** Go's view of values: `fmt`'s `%v`, text/template's truth, Sprig's `empty`, and comparisons. */
import { formatFloat, GoInt, isGoMap, UNKNOWN, type GoValue } from '../values';

/** `fmt.Sprint(v)` for one value (`%v`): `<nil>`, `map[a:1 b:2]`, `[a b]`, `1e+06`. */
export function goString(v: GoValue): string {
  if (v === null) return '<nil>';
  if (v === UNKNOWN) return '{{ unknown }}';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return formatFloat(v);
  if (v instanceof GoInt) return v.value.toString();
  if (Array.isArray(v)) return `[${v.map(goString).join(' ')}]`;
  if (isGoMap(v)) return `map[${[...v.keys()].sort().map((k) => `${k}:${goString(v.get(k)!)}`).join(' ')}]`;
  return '';
}

/** text/template's truth: false, 0, nil, "" and empty collections are false. */
export function truthy(v: GoValue): boolean {
  if (v === null || v === false || v === '' || v === 0) return false;
  if (v instanceof GoInt) return v.value !== 0n;
  if (Array.isArray(v)) return v.length > 0;
  if (isGoMap(v)) return v.size > 0;
  return true;
}

/** Sprig's `empty` is the negation of truth for these kinds. */
export function empty(v: GoValue): boolean {
  return !truthy(v);
}

/** A number as float64, or null. */
export function toFloat(v: GoValue): number | null {
  if (typeof v === 'number') return v;
  if (v instanceof GoInt) return Number(v.value);
  return null;
}

/** Sprig's toInt64 (cast.ToInt64): numbers truncate, numeric strings parse, anything else is 0. */
export function toInt(v: GoValue): bigint {
  if (v instanceof GoInt) return v.value;
  if (typeof v === 'number') return Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'string' && /^[+-]?\d+$/.test(v.trim())) return BigInt(v.trim());
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return BigInt(Math.trunc(Number(v)));
  return 0n;
}

/**
 * text/template's `eq`: basic kinds compare by value (ints with ints, floats with floats, strings with strings);
 * different kinds are an error in Go, returned here as null.
 */
export function goEqual(a: GoValue, b: GoValue): boolean | null {
  const kind = (v: GoValue) => (v === null ? 'nil' : v instanceof GoInt ? 'int' : typeof v === 'number' ? 'float' : typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'bool' : 'other');
  const ka = kind(a);
  const kb = kind(b);
  if (ka === 'nil' || kb === 'nil') return ka === kb;
  if (ka !== kb || ka === 'other') return null;
  if (ka === 'int') return (a as GoInt).value === (b as GoInt).value;
  return a === b;
}

/** `lt`/`le`/`gt`/`ge` on two values of one ordered kind; null for an error. */
export function goCompare(a: GoValue, b: GoValue): number | null {
  if (a instanceof GoInt && b instanceof GoInt) return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return null;
}
