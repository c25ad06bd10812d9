/**
 * The functions charts use around images: text/template's builtins, Sprig's (github.com/Masterminds/sprig/v3) and
 * Helm's (`required`, `toYaml`, `fromYaml`, …; `include` and `tpl` are in exec.ts). Strings keep the sources of
 * their parts (`printf "%s:%s" .Values.image.repository .Values.image.tag` knows which characters are the tag).
 * A function given an UNKNOWN value returns UNKNOWN; one Helm would fail in throws RenderError.
 */
import { formatFloat, GoInt, isGoMap, itemSources, listWithSources, sourceOf, UNKNOWN, type GoMap, type GoValue, type Source } from '../values';
import { RenderError, UNKNOWN_TEXT, type Span, type Val } from './exec';
import { empty, goCompare, goEqual, goString, toFloat, toInt, truthy } from './goValues';
import { toYamlText } from './toYaml';
import { parseValues, parseValuesAny } from '../values';
import { semverCompare } from './semver';

type Fn = (args: Val[]) => Val;

interface Text {
  text: string;
  spans: Span[];
}

/** Sprig's strval with sources: strings as they are, anything else as `%v`. */
export function textOf(v: Val): Text {
  const text = typeof v.value === 'string' ? v.value : goString(v.value);
  return { text, spans: v.spans ?? (v.source && text.length > 0 ? [{ start: 0, end: text.length, source: v.source }] : []) };
}

function concat(parts: Text[], sep = ''): Val {
  let text = '';
  const spans: Span[] = [];
  parts.forEach((p, i) => {
    if (i > 0) text += sep;
    for (const s of p.spans) spans.push({ start: s.start + text.length, end: s.end + text.length, source: s.source });
    text += p.text;
  });
  return { value: text, spans };
}

/** A string that holds a printed unknown (an include of a template that printed one): nothing can be decided on it. */
export const isPartial = (v: GoValue) => typeof v === 'string' && v.includes(UNKNOWN_TEXT);
const anyUnknown = (args: Val[]) => args.some((a) => a.value === UNKNOWN || isPartial(a.value));
const anyWhollyUnknown = (args: Val[]) => args.some((a) => a.value === UNKNOWN);
const str = (v: Val | undefined) => (v ? textOf(v).text : '');

/** Wraps a function so that an UNKNOWN argument (or a string holding one) gives UNKNOWN. */
/** Where an argument was written: its own source, or a collection's. */
function sourceOfVal(v: Val): Source | undefined {
  return v.source ?? sourceOf(v.value);
}

/** The items of a list that `keep` keeps, each with its source. */
function keepItems(l: Val, keep: (x: GoValue, i: number, all: GoValue[]) => boolean): Val {
  if (!Array.isArray(l.value)) return { value: [] };
  const all = l.value;
  const sources = itemSources(all);
  const kept = all.map((x, i) => [x, i] as const).filter(([x, i]) => keep(x, i, all));
  return { value: listWithSources(kept.map(([x]) => x), kept.map(([, i]) => sources[i])) };
}

function known(fn: Fn): Fn {
  return (args) => (anyUnknown(args) ? { value: UNKNOWN } : fn(args));
}

/** For functions that only carry text along (indent, quote, printf, …): a string holding an unknown passes through intact. */
function carries(fn: Fn): Fn {
  return (args) => (anyWhollyUnknown(args) ? { value: UNKNOWN } : fn(args));
}

/** A string function whose result keeps the source of its last argument (the piped string) when it stays one piece. */
function strFn(f: (s: string, args: Val[]) => string, wrap: (fn: Fn) => Fn = known): Fn {
  return wrap((args) => {
    const subject = args[args.length - 1] ?? { value: '' };
    const result = f(str(subject), args.slice(0, -1));
    const whole = textOf(subject);
    if (result === whole.text) return { value: result, spans: whole.spans };
    const single = whole.spans.length === 1 ? whole.spans[0].source : subject.source;
    return single ? { value: result, source: single } : { value: result };
  });
}

/** Go's `fmt.Sprintf` for the verbs charts use: %s %v %d %q %t %f %g %x %%, with sources for %s and %v. */
function sprintf(format: string, args: Val[]): Val {
  const parts: Text[] = [];
  let literal = '';
  let n = 0;
  const flush = () => {
    if (literal) parts.push({ text: literal, spans: [] });
    literal = '';
  };
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== '%') { literal += c; continue; }
    const m = /^([+\-# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/.exec(format.slice(i + 1));
    if (!m) { literal += c; continue; }
    i += m[0].length;
    const verb = m[4];
    if (verb === '%') { literal += '%'; continue; }
    const a = args[n++];
    if (!a) { literal += `%!${verb}(MISSING)`; continue; }
    let t: Text;
    const v = a.value;
    switch (verb) {
      case 's': case 'v': t = typeof v === 'string' || verb === 'v' ? textOf(a) : { text: `%!s(${goString(v)})`, spans: [] }; break;
      case 'd': t = { text: v instanceof GoInt ? v.value.toString() : typeof v === 'number' ? `%!d(float64=${formatFloat(v)})` : `%!d(${goString(v)})`, spans: [] }; break;
      case 'q': t = { text: goQuote(str(a)), spans: [] }; break;
      case 't': t = { text: typeof v === 'boolean' ? String(v) : `%!t(${goString(v)})`, spans: [] }; break;
      case 'f': case 'F': { const f = toFloat(v); t = { text: f === null ? `%!f(${goString(v)})` : f.toFixed(m[3] ? Number(m[3]) : 6), spans: [] }; break; }
      case 'g': { const f = toFloat(v); t = { text: f === null ? `%!g(${goString(v)})` : formatFloat(f), spans: [] }; break; }
      case 'x': t = { text: v instanceof GoInt ? v.value.toString(16) : Buffer.from(str(a)).toString('hex'), spans: [] }; break;
      default: t = { text: `%!${verb}(${goString(v)})`, spans: [] };
    }
    if (m[2] && t.text.length < Number(m[2])) {
      const pad = ' '.repeat(Number(m[2]) - t.text.length);
      t = m[1].includes('-') ? { text: t.text + pad, spans: t.spans } : { text: pad + t.text, spans: t.spans.map((s) => ({ ...s, start: s.start + pad.length, end: s.end + pad.length })) };
    }
    flush();
    parts.push(t);
  }
  flush();
  if (n < args.length) parts.push({ text: `%!(EXTRA ${args.slice(n).map((a) => `${goType(a.value)}=${goString(a.value)}`).join(', ')})`, spans: [] });
  return concat(parts);
}

function goType(v: GoValue): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float64';
  if (v instanceof GoInt) return 'int';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  if (isGoMap(v)) return 'map[string]interface {}';
  return '<nil>';
}

/** strconv.Quote for the characters values hold. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** fmt.Sprint: operands separated by a space when neither side is a string. */
function sprint(args: Val[]): Val {
  const parts: Text[] = [];
  args.forEach((a, i) => {
    const t = a.value === null ? { text: '<nil>', spans: [] } : textOf(a);
    if (i > 0 && typeof a.value !== 'string' && typeof args[i - 1].value !== 'string') parts.push({ text: ' ', spans: [] });
    parts.push(t);
  });
  return concat(parts);
}

/** Sprig's `indent`: every line prefixed, sources moved with their text. */
function indentText(n: number, t: Text, leadingNewline: boolean): Val {
  const pad = ' '.repeat(Math.max(0, n));
  let text = leadingNewline ? '\n' : '';
  const offsets: number[] = [];
  text += pad;
  for (let i = 0; i < t.text.length; i++) {
    offsets.push(text.length);
    text += t.text[i];
    if (t.text[i] === '\n') text += pad;
  }
  offsets.push(text.length);
  const spans = t.spans.map((s) => ({ start: offsets[s.start], end: s.end > s.start ? offsets[s.end - 1] + 1 : offsets[s.start], source: s.source }));
  return { value: text, spans };
}

function mapOf(v: Val | undefined): GoMap | null {
  return v && isGoMap(v.value) ? v.value : null;
}

/** mergo.Merge without overwrite, as Sprig's `merge`: dst keeps its values; nested maps merge. */
function mergeInto(dst: GoMap, src: GoMap, overwrite: boolean): void {
  for (const [k, v] of src) {
    const cur = dst.get(k);
    if (isGoMap(cur) && isGoMap(v)) mergeInto(cur, v, overwrite);
    else if (overwrite ? !empty(v) || !dst.has(k) : !dst.has(k) || empty(cur ?? null)) dst.set(k, v);
  }
}

const cmp = (ok: (c: number) => boolean): Fn => known(([a, b]) => {
  const c = goCompare(a.value, b.value);
  if (c === null) throw new RenderError('incompatible types for comparison');
  return { value: ok(c) };
});

export const FUNCTIONS: Record<string, Fn> = {
  // text/template
  not: known(([a]) => ({ value: !truthy(a.value) })),
  len: known(([a]) => {
    const v = a.value;
    if (typeof v === 'string') return { value: new GoInt(BigInt(Buffer.byteLength(v))) };
    if (Array.isArray(v)) return { value: new GoInt(BigInt(v.length)) };
    if (isGoMap(v)) return { value: new GoInt(BigInt(v.size)) };
    throw new RenderError(`len of ${goType(v)}`);
  }),
  index: known(([c, ...keys]) => {
    let cur: Val = c;
    for (const k of keys) {
      const v = cur.value;
      if (isGoMap(v)) cur = { value: v.get(str(k)) ?? null };
      else if (Array.isArray(v)) {
        const i = Number(toInt(k.value));
        if (i < 0 || i >= v.length) throw new RenderError('index out of range');
        cur = { value: v[i] };
      } else if (v === null) return { value: null };
      else throw new RenderError(`can't index item of type ${goType(v)}`);
    }
    return cur;
  }),
  print: carries(sprint),
  println: carries((args) => concat([textOf(sprint(args)), { text: '\n', spans: [] }])),
  printf: carries(([f, ...rest]) => sprintf(str(f), rest)),
  eq: known(([a, ...bs]) => {
    for (const b of bs) {
      const r = goEqual(a.value, b.value);
      if (r === null) throw new RenderError('incompatible types for comparison');
      if (r) return { value: true };
    }
    return { value: false };
  }),
  ne: known(([a, b]) => {
    const r = goEqual(a.value, b.value);
    if (r === null) throw new RenderError('incompatible types for comparison');
    return { value: !r };
  }),
  lt: cmp((c) => c < 0), le: cmp((c) => c <= 0), gt: cmp((c) => c > 0), ge: cmp((c) => c >= 0),

  // Sprig: defaults and logic
  default: (args) => {
    const [d, ...given] = args;
    if (given.length === 0) return d;
    if (given[0].value === UNKNOWN) return given[0];
    return empty(given[0].value) ? d : given[0];
  },
  empty: known(([a]) => ({ value: empty(a?.value ?? null) })),
  coalesce: (args) => {
    for (const a of args) {
      if (a.value === UNKNOWN) return a;
      if (!empty(a.value)) return a;
    }
    return { value: null };
  },
  ternary: known(([t, f, c]) => {
    // Its condition is a Go bool: anything else (a missing value, a string) fails the call, as in Go.
    if (typeof c?.value !== 'boolean') throw new RenderError('ternary: wrong type for value; expected bool');
    return c.value ? t : f;
  }),
  required: (args) => {
    const [message, v] = args;
    if (v?.value === UNKNOWN) return v;
    if (!v || v.value === null || v.value === '') throw new RenderError(`required: ${str(message)}`);
    return v;
  },
  fail: known(([m]) => { throw new RenderError(`fail: ${str(m)}`); }),

  // Sprig: strings
  toString: carries(([a]) => { const t = textOf(a); return { value: t.text, spans: t.spans }; }),
  quote: carries((args) => concat(args.filter((a) => a.value !== null).map((a) => {
    const t = textOf(a);
    const q = goQuote(t.text);
    return q.length === t.text.length + 2 ? { text: q, spans: t.spans.map((s) => ({ ...s, start: s.start + 1, end: s.end + 1 })) } : { text: q, spans: [] };
  }), ' ')),
  squote: carries((args) => concat(args.filter((a) => a.value !== null).map((a) => {
    const t = textOf(a);
    return { text: `'${t.text}'`, spans: t.spans.map((s) => ({ ...s, start: s.start + 1, end: s.end + 1 })) };
  }), ' ')),
  cat: carries((args) => concat(args.filter((a) => a.value !== null).map(textOf), ' ')),
  lower: strFn((s) => s.toLowerCase()),
  upper: strFn((s) => s.toUpperCase()),
  camelcase: strFn((s) => s.split(/[_\s-]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('')),
  untitle: strFn((s) => (s ? s[0].toLowerCase() + s.slice(1) : s)),
  snakecase: strFn((s) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[-\s]+/g, '_').toLowerCase()),
  kebabcase: strFn((s) => s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/[_\s]+/g, '-').toLowerCase()),
  title: strFn((s) => s.replace(/(^|[^\p{L}\p{N}])(\p{L})/gu, (_, a: string, b: string) => a + b.toUpperCase())),
  trim: strFn((s) => s.trim(), carries),
  trimAll: strFn((s, [cut]) => trimChars(s, str(cut))),
  trimPrefix: strFn((s, [p]) => (s.startsWith(str(p)) ? s.slice(str(p).length) : s), carries),
  trimSuffix: strFn((s, [p]) => (str(p) && s.endsWith(str(p)) ? s.slice(0, s.length - str(p).length) : s), carries),
  replace: strFn((s, [a, b]) => s.split(str(a)).join(str(b))),
  trunc: strFn((s, [n]) => { const i = Number(toInt(n.value)); return i >= 0 ? s.slice(0, i) : s.slice(Math.max(0, s.length + i)); }),
  nospace: strFn((s) => s.replace(/\s+/g, '')),
  repeat: known(([n, s]) => ({ value: str(s).repeat(Math.max(0, Number(toInt(n.value)))) })),
  substr: known(([a, b, s]) => {
    const t = str(s);
    const start = Number(toInt(a.value));
    const end = Number(toInt(b.value));
    return { value: start < 0 ? t.slice(0, end) : end < 0 || end > t.length ? t.slice(start) : t.slice(start, end) };
  }),
  contains: known(([sub, s]) => ({ value: str(s).includes(str(sub)) })),
  hasPrefix: known(([p, s]) => ({ value: str(s).startsWith(str(p)) })),
  hasSuffix: known(([p, s]) => ({ value: str(s).endsWith(str(p)) })),
  indent: carries(([n, s]) => indentText(Number(toInt(n.value)), textOf(s), false)),
  nindent: carries(([n, s]) => indentText(Number(toInt(n.value)), textOf(s), true)),
  join: carries(([sep, list]) => {
    const v = list.value;
    const items = Array.isArray(v) ? v.map((x) => ({ value: x })) : v === null ? [] : [list];
    return concat(items.filter((x) => x.value !== null).map(textOf), str(sep));
  }),
  splitList: known(([sep, s]) => ({ value: str(s).split(str(sep)) })),
  split: known(([sep, s]) => ({ value: new Map(str(s).split(str(sep)).map((p, i) => [`_${i}`, p] as [string, GoValue])) })),
  regexMatch: known(([re, s]) => ({ value: safeRegExp(str(re)).test(str(s)) })),
  regexReplaceAll: known(([re, s, repl]) => ({ value: str(s).replace(new RegExp(safeRegExp(str(re)).source, 'g'), str(repl).replace(/\$\{?(\w+)\}?/g, '$$$1')) })),
  regexFind: known(([re, s]) => ({ value: safeRegExp(str(re)).exec(str(s))?.[0] ?? '' })),
  b64enc: known(([s]) => ({ value: Buffer.from(str(s)).toString('base64') })),
  b64dec: known(([s]) => ({ value: Buffer.from(str(s), 'base64').toString('utf8') })),

  // Sprig: lists and dicts
  list: (args) => ({ value: listWithSources(args.map((a) => a.value), args.map(sourceOfVal)) }),
  tuple: (args) => ({ value: args.map((a) => a.value) }),
  dict: (args) => {
    const m: GoMap = new Map();
    for (let i = 0; i < args.length; i += 2) m.set(str(args[i]), args[i + 1]?.value ?? '');
    return { value: m };
  },
  get: known(([m, k]) => ({ value: mapOf(m)?.get(str(k)) ?? '' })),
  hasKey: known(([m, k]) => ({ value: mapOf(m)?.has(str(k)) ?? false })),
  set: known(([m, k, v]) => { mapOf(m)?.set(str(k), v.value); return m; }),
  unset: known(([m, k]) => { mapOf(m)?.delete(str(k)); return m; }),
  keys: known((args) => ({ value: args.flatMap((m) => [...(mapOf(m)?.keys() ?? [])]) })),
  merge: known(([dst, ...srcs]) => { const d = mapOf(dst); if (d) for (const s of srcs) { const m = mapOf(s); if (m) mergeInto(d, m, false); } return dst; }),
  mergeOverwrite: known(([dst, ...srcs]) => { const d = mapOf(dst); if (d) for (const s of srcs) { const m = mapOf(s); if (m) mergeInto(d, m, true); } return dst; }),
  pick: known(([m, ...ks]) => { const src = mapOf(m); const out: GoMap = new Map(); for (const k of ks) if (src?.has(str(k))) out.set(str(k), src.get(str(k))!); return { value: out }; }),
  omit: known(([m, ...ks]) => { const drop = new Set(ks.map(str)); return { value: new Map([...(mapOf(m) ?? new Map())].filter(([k]) => !drop.has(k))) }; }),
  dig: known((args) => {
    const map = mapOf(args[args.length - 1]);
    const def = args[args.length - 2];
    let cur: GoValue = map;
    for (const k of args.slice(0, -2)) { if (!isGoMap(cur) || !cur.has(str(k))) return def; cur = cur.get(str(k))!; }
    return { value: cur };
  }),
  values: known(([m]) => ({ value: [...(mapOf(m)?.values() ?? [])] })),
  toStrings: known(([l]) => ({ value: Array.isArray(l.value) ? l.value.map((x) => (typeof x === 'string' ? x : goString(x))) : [] })),
  until: known(([n]) => ({ value: Array.from({ length: Math.max(0, Number(toInt(n.value))) }, (_, i) => new GoInt(BigInt(i))) })),
  reverse: known(([l]) => ({ value: Array.isArray(l.value) ? [...l.value].reverse() : [] })),
  prepend: known(([l, v]) => ({ value: listWithSources([v.value, ...(Array.isArray(l.value) ? l.value : [])], [sourceOfVal(v), ...itemSources(l.value)]) })),
  without: known(([l, ...drop]) => ({ value: Array.isArray(l.value) ? l.value.filter((x) => !drop.some((d) => goEqual(x, d.value) === true)) : [] })),
  regexQuoteMeta: known(([s]) => ({ value: str(s).replace(/[\\.+*?()|[\]{}^$]/g, '\\$&') })),
  divf: known(([a, b]) => ({ value: (toFloat(a.value) ?? 0) / (toFloat(b.value) ?? 1) })),
  semver: known(([v]) => {
    const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/.exec(str(v));
    if (!m) throw new RenderError(`semver: invalid version ${str(v)}`);
    return { value: new Map<string, GoValue>([['Major', new GoInt(BigInt(m[1]))], ['Minor', new GoInt(BigInt(m[2] ?? 0))], ['Patch', new GoInt(BigInt(m[3] ?? 0))], ['Prerelease', m[4] ?? ''], ['Metadata', m[5] ?? ''], ['Original', str(v)]]) };
  }),
  pluck: known(([k, ...maps]) => ({ value: maps.flatMap((m) => (mapOf(m)?.has(str(k)) ? [mapOf(m)!.get(str(k))!] : [])) })),
  first: known(([l]) => ({ value: Array.isArray(l.value) && l.value.length > 0 ? l.value[0] : null })),
  last: known(([l]) => ({ value: Array.isArray(l.value) && l.value.length > 0 ? l.value[l.value.length - 1] : null })),
  rest: known(([l]) => ({ value: Array.isArray(l.value) ? l.value.slice(1) : [] })),
  initial: known(([l]) => ({ value: Array.isArray(l.value) ? l.value.slice(0, -1) : [] })),
  append: known(([l, v]) => ({ value: listWithSources([...(Array.isArray(l.value) ? l.value : []), v.value], [...itemSources(l.value), sourceOfVal(v)]) })),
  concat: known((ls) => ({ value: listWithSources(ls.flatMap((l) => (Array.isArray(l.value) ? l.value : [])), ls.flatMap((l) => itemSources(l.value))) })),
  has: known(([needle, l]) => ({ value: Array.isArray(l.value) && l.value.some((x) => goEqual(x, needle.value) === true) })),
  uniq: known(([l]) => keepItems(l, (x, i, a) => a.findIndex((y) => goEqual(x, y) === true) === i)),
  compact: known(([l]) => keepItems(l, (x) => !empty(x))),
  sortAlpha: known(([l]) => ({ value: Array.isArray(l.value) ? l.value.map(goString).sort() : [] })),
  deepCopy: known(([v]) => ({ value: deepCopy(v.value) })),

  // Sprig: numbers and types
  int: known(([v]) => ({ value: new GoInt(toInt(v.value)) })),
  int64: known(([v]) => ({ value: new GoInt(toInt(v.value)) })),
  float64: known(([v]) => ({ value: toFloat(v.value) ?? (Number(str(v)) || 0) })),
  atoi: known(([v]) => ({ value: new GoInt(/^[+-]?\d+$/.test(str(v)) ? BigInt(str(v)) : 0n) })),
  add: known((args) => ({ value: new GoInt(args.reduce((s, a) => s + toInt(a.value), 0n)) })),
  add1: known(([a]) => ({ value: new GoInt(toInt(a.value) + 1n) })),
  sub: known(([a, b]) => ({ value: new GoInt(toInt(a.value) - toInt(b.value)) })),
  mul: known((args) => ({ value: new GoInt(args.reduce((s, a) => s * toInt(a.value), 1n)) })),
  div: known(([a, b]) => { const d = toInt(b.value); if (d === 0n) throw new RenderError('division by zero'); return { value: new GoInt(toInt(a.value) / d) }; }),
  mod: known(([a, b]) => { const d = toInt(b.value); if (d === 0n) throw new RenderError('division by zero'); return { value: new GoInt(toInt(a.value) % d) }; }),
  max: known((args) => ({ value: new GoInt(args.map((a) => toInt(a.value)).reduce((m, x) => (x > m ? x : m))) })),
  min: known((args) => ({ value: new GoInt(args.map((a) => toInt(a.value)).reduce((m, x) => (x < m ? x : m))) })),
  kindOf: known(([v]) => ({ value: kindOf(v.value) })),
  kindIs: known(([k, v]) => ({ value: kindOf(v.value) === str(k) })),
  typeOf: known(([v]) => ({ value: goType(v.value) })),
  typeIs: known(([t, v]) => ({ value: goType(v.value) === str(t) })),
  semverCompare: known(([c, v]) => ({ value: semverCompare(str(c), str(v)) })),

  // Helm
  toYaml: carries(([v]) => toYamlText(v)),
  toJson: known(([v]) => ({ value: toJson(v.value) })),
  // Parsed text is the template's own (it keeps no sources): its values are facts of the rendering, not of a file.
  fromYaml: known(([s]) => ({ value: parseValues(str(s)) ?? new Map([['Error', 'error converting YAML to JSON']]) })),
  fromYamlArray: known(([s]) => { const v = parseValuesAny(str(s)); return { value: Array.isArray(v) ? v : [] }; }),
  fromJson: known(([s]) => { try { return { value: fromJsonValue(JSON.parse(str(s))) }; } catch { return { value: new Map() }; } }),
};

function trimChars(s: string, cut: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && cut.includes(s[a])) a++;
  while (b > a && cut.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

function safeRegExp(re: string): RegExp {
  try {
    return new RegExp(re.replace(/\(\?P</g, '(?<'));
  } catch {
    throw new RenderError(`regexp: ${re}`);
  }
}

function kindOf(v: GoValue): string {
  if (v === null) return 'invalid';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float64';
  if (v instanceof GoInt) return 'int';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'slice';
  return 'map';
}

function deepCopy(v: GoValue): GoValue {
  if (Array.isArray(v)) return v.map(deepCopy);
  if (isGoMap(v)) return new Map([...v].map(([k, x]) => [k, deepCopy(x)]));
  return v;
}

/** encoding/json, as Helm's toJson: keys sorted, floats without exponent below 1e21. */
function toJson(v: GoValue): string {
  if (v === null || v === UNKNOWN) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return Math.abs(v) < 1e21 && (Math.abs(v) >= 1e-6 || v === 0) ? String(v) : JSON.stringify(v);
  if (v instanceof GoInt) return v.value.toString();
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(toJson).join(',')}]`;
  return `{${[...(v as GoMap).keys()].sort().map((k) => `${JSON.stringify(k)}:${toJson((v as GoMap).get(k)!)}`).join(',')}}`;
}

function fromJsonValue(j: unknown): GoValue {
  if (Array.isArray(j)) return j.map(fromJsonValue);
  if (j !== null && typeof j === 'object') return new Map(Object.entries(j).map(([k, x]) => [k, fromJsonValue(x)]));
  return j as GoValue;
}

// Sprig's must* variants differ only in returning errors instead of zero values.
for (const [alias, name] of [['mustMerge', 'merge'], ['mustMergeOverwrite', 'mergeOverwrite'], ['mustToJson', 'toJson'], ['mustFromJson', 'fromJson'],
  ['mustRegexMatch', 'regexMatch'], ['mustRegexReplaceAll', 'regexReplaceAll'], ['mustFirst', 'first'], ['mustLast', 'last'], ['mustRest', 'rest'],
  ['mustInitial', 'initial'], ['mustAppend', 'append'], ['mustUniq', 'uniq'], ['mustCompact', 'compact'], ['mustHas', 'has'], ['mustDeepCopy', 'deepCopy'],
  ['push', 'append'], ['mustPush', 'append'], ['toYamlPretty', 'toYaml'], ['toPrettyJson', 'toJson'], ['toRawJson', 'toJson'], ['mustToPrettyJson', 'toJson'],
  ['mustToRawJson', 'toJson'], ['trimall', 'trimAll'], ['lowercase', 'lower'], ['uppercase', 'upper']] as const) {
  FUNCTIONS[alias] = FUNCTIONS[name];
}
