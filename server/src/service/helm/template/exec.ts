/**
 * Executes parsed templates as Go's text/template does under Helm (missing keys are empty, `<no value>` is
 * removed), and keeps, for every stretch of the output, where it was written: a values scalar when an action
 * printed one (also inside `printf`, `quote`, `default`, `toYaml`, …), else the template text. A value the engine
 * cannot know (an unsupported function, `lookup`) prints as a `{{ … }}` marker, which analysis never judges; a
 * condition it cannot know, or an error Helm would stop at, fails the whole rendering (never a guess).
 */
import { parseTemplate, type Arg, type Command, type Node, type Pipe } from './parse';
import { GoInt, isGoMap, sourceOfChild, UNKNOWN, type GoMap, type GoValue, type Source } from '../values';
import { goString, truthy } from './goValues';
import { FUNCTIONS, isPartial } from './funcs';

/** A stretch of output (or of a string value) and where it was written. */
export interface Span {
  start: number;
  end: number;
  source: Source;
  /** The template action that printed it (for text a value put there), when it was printed in a template file. */
  via?: Source;
}

/** A value during execution: the Go value, where it came from, and for strings the sources of their parts. */
export interface Val {
  value: GoValue;
  source?: Source;
  spans?: Span[];
}

export interface Rendered {
  text: string;
  spans: Span[];
}

/** Stops a rendering: Helm would fail (`required`, a nil pointer, a bad call), or a branch cannot be known. */
export class RenderError extends Error {}

/**
 * A branch (an `if`, `with` or `range`) on a value that cannot be known, such as a `lookup`. Inside a named
 * template it makes that template's output unknown, not the whole file: Bitnami's password helper looks the
 * Secret up, and the checksum annotation that includes it must not hide the file's images.
 */
export class UnknownBranch extends RenderError {}

/** What printing an UNKNOWN value writes: a template marker, so the rendered value is never judged. */
export const UNKNOWN_TEXT = '{{ unknown }}';

export interface NamedTemplate {
  nodes: Node[];
  /** The template's text, for error messages. */
  src?: string;
  /** The file it is defined in: what it prints without a source of its own is credited to its action there. */
  uri?: string;
  /** Maps a text node's offsets to the sources of that text. */
  text: (start: number, end: number) => Span[];
}

export interface Engine {
  /** Every named template of the chart (and its subcharts and library charts). */
  named: Map<string, NamedTemplate>;
  depth: number;
}

const MAX_DEPTH = 100;
const MAX_OUTPUT = 10_000_000;

class Break extends Error {}
class Continue extends Error {}

interface Scope {
  engine: Engine;
  text: (start: number, end: number) => Span[];
  actionSource: (start: number, end: number) => Source | undefined;
  vars: { name: string; val: Val }[];
  /** The source text of a stretch of the template, for error messages. */
  describe?: (start: number, end: number) => string;
}

/** Output under construction: text and spans. */
export class Out {
  text = '';
  spans: Span[] = [];
  add(text: string, spans: Span[] = [], fallback?: Source, via?: Source): void {
    const at = this.text.length;
    this.text += text;
    if (this.text.length > MAX_OUTPUT) throw new RenderError('output too large');
    const own = spans.length > 0 ? spans : fallback && text.length > 0 ? [{ start: 0, end: text.length, source: fallback }] : [];
    for (const s of own) {
      // The outermost action wins: in a template file, the `include` that printed a helper's output.
      const through = via ?? s.via;
      this.spans.push(through ? { start: s.start + at, end: s.end + at, source: s.source, via: through } : { start: s.start + at, end: s.end + at, source: s.source });
    }
  }
}

/**
 * Renders `nodes` with `dot` as `.` and `$`. `text` gives the sources of the template's own text, `actionSource`
 * the source to credit a printed value that has none of its own.
 */
export function execute(engine: Engine, nodes: Node[], dot: Val, text: Scope['text'], actionSource: Scope['actionSource'], src?: string): Rendered {
  const out = new Out();
  const scope: Scope = { engine, text, actionSource, vars: [{ name: '$', val: dot }], describe: src === undefined ? undefined : (s, e) => src.slice(s, e).replace(/\s*-?\}\}$/, '').trim() };
  walk(nodes, dot, scope, out);
  // Helm: missing values print as "<no value>" under missingkey=zero, which the engine then deletes.
  return removeNoValue(out);
}

function walk(nodes: Node[], dot: Val, scope: Scope, out: Out): void {
  for (const node of nodes) {
    switch (node.kind) {
      case 'text':
        out.add(node.text, scope.text(node.start, node.end));
        break;
      case 'action': {
        const mark = scope.vars.length;
        const v = pipe(node.pipe, dot, scope);
        // A declaration prints nothing; its variable lives to the end of the enclosing block.
        if (node.pipe.decl.length === 0) print(v, out, scope.actionSource(node.start, node.end));
        void mark;
        break;
      }
      case 'if': case 'with': {
        const mark = scope.vars.length;
        const v = pipe(node.pipe, dot, scope);
        if (v.value === UNKNOWN || isPartial(v.value)) throw new UnknownBranch(`a condition that cannot be known (${scope.describe?.(node.pipe.start, node.pipe.end) ?? 'an unknown value'})`);
        if (truthy(v.value)) walk(node.list, node.kind === 'with' ? v : dot, scope, out);
        else if (node.else) walk(node.else, dot, scope, out);
        scope.vars.length = mark;
        break;
      }
      case 'range':
        range(node, dot, scope, out);
        break;
      case 'template': {
        const t = scope.engine.named.get(node.name);
        if (!t) throw new RenderError(`no such template ${JSON.stringify(node.name)}`);
        const data = node.pipe ? pipe(node.pipe, dot, scope) : { value: null };
        const r = invokeOrUnknown(scope.engine, t, data);
        if (r) out.add(r.text, r.spans, undefined, scope.actionSource(node.start, node.end));
        else out.add(UNKNOWN_TEXT, [], undefined, scope.actionSource(node.start, node.end));
        break;
      }
      case 'break': throw new Break();
      case 'continue': throw new Continue();
    }
  }
}

/** Renders a named template with `data` (the `template` action, `include`). */
export function invoke(engine: Engine, t: NamedTemplate, data: Val): Rendered {
  if (engine.depth >= MAX_DEPTH) throw new RenderError('templates nest too deep');
  engine.depth++;
  try {
    const out = new Out();
    const actionSource = (start: number, end: number): Source | undefined => (t.uri ? { uri: t.uri, range: { start, end } } : undefined);
    walk(t.nodes, data, { engine, text: t.text, actionSource, vars: [{ name: '$', val: data }], describe: t.src === undefined ? undefined : (s, e) => t.src!.slice(s, e).replace(/\s*-?\}\}$/, '').trim() }, out);
    return { text: out.text, spans: out.spans };
  } finally {
    engine.depth--;
  }
}

/** A named template's rendering, or null when it branches on what cannot be known (see UnknownBranch). */
function invokeOrUnknown(engine: Engine, t: NamedTemplate, data: Val): Rendered | null {
  try {
    return invoke(engine, t, data);
  } catch (e) {
    if (e instanceof UnknownBranch) return null;
    throw e;
  }
}

function range(node: Extract<Node, { kind: 'range' }>, dot: Val, scope: Scope, out: Out): void {
  const mark = scope.vars.length;
  const decl = node.pipe.decl;
  const v = pipe({ ...node.pipe, decl: [] }, dot, scope);
  const items: [Val, Val][] = [];
  const value = v.value;
  if (value === UNKNOWN) throw new UnknownBranch(`a range that cannot be known (${scope.describe?.(node.pipe.start, node.pipe.end) ?? 'an unknown value'})`);
  if (Array.isArray(value)) value.forEach((x, i) => items.push([{ value: new GoInt(BigInt(i)) }, child(v, x, i)]));
  else if (isGoMap(value)) [...value.keys()].sort().forEach((k) => items.push([{ value: k }, child(v, value.get(k)!, k)]));
  else if (value instanceof GoInt) for (let i = 0n; i < value.value; i++) items.push([{ value: new GoInt(i) }, { value: new GoInt(i) }]);
  else if (value !== null && value !== false && value !== 0 && value !== '') throw new RenderError(`range can't iterate over ${goString(value)}`);
  if (items.length === 0) {
    if (node.else) walk(node.else, dot, scope, out);
    return;
  }
  for (const [key, item] of items) {
    scope.vars.length = mark;
    if (decl.length === 1) scope.vars.push({ name: decl[0], val: item });
    if (decl.length === 2) scope.vars.push({ name: decl[0], val: key }, { name: decl[1], val: item });
    try {
      walk(node.list, item, scope, out);
    } catch (e) {
      if (e instanceof Break) break;
      if (!(e instanceof Continue)) throw e;
    }
  }
  scope.vars.length = mark;
}

/** A map entry or list item, with its source when the parent came from a values file. */
function child(parent: Val, value: GoValue, key: string | number): Val {
  const source = sourceOfChild(parent.value, key);
  return source ? { value, source } : { value };
}

function pipe(p: Pipe, dot: Val, scope: Scope): Val {
  let result: Val | undefined;
  for (const cmd of p.cmds) result = command(cmd, dot, scope, result);
  const v = result ?? { value: null };
  if (p.decl.length > 0) {
    if (p.assign) {
      const target = [...scope.vars].reverse().find((x) => x.name === p.decl[0]);
      if (!target) throw new RenderError(`undefined variable ${p.decl[0]}`);
      target.val = v;
    } else {
      scope.vars.push({ name: p.decl[p.decl.length - 1], val: v });
    }
  }
  return v;
}

function command(cmd: Command, dot: Val, scope: Scope, piped: Val | undefined): Val {
  const [first, ...rest] = cmd.args;
  if (first.kind === 'identifier') {
    const name = first.name;
    // and/or evaluate lazily, as Go 1.18+ does.
    if (name === 'and' || name === 'or') {
      const args = [...rest.map((a) => () => arg(a, dot, scope)), ...(piped ? [() => piped] : [])];
      let last: Val = { value: null };
      for (const next of args) {
        last = next();
        if (last.value === UNKNOWN) return { value: UNKNOWN };
        if (truthy(last.value) === (name === 'or')) return last;
      }
      return last;
    }
    if (name === 'include' || name === 'tpl' || name === 'template') {
      const args = rest.map((a) => arg(a, dot, scope));
      if (piped) args.push(piped);
      return name === 'tpl' ? tpl(scope.engine, args) : include(scope.engine, args);
    }
    const fn = FUNCTIONS[name];
    // Sprig and Helm functions this engine does not model (`lookup`, `sha256sum`, `randAlphaNum`, …) are unknown.
    if (!fn) return { value: UNKNOWN };
    const args = rest.map((a) => arg(a, dot, scope));
    if (piped) args.push(piped);
    return fn(args);
  }
  // `.Capabilities.APIVersions.Has "apps/v1"`: the API versions `helm template` knows without a cluster.
  const chain = first.kind === 'field' || first.kind === 'variable' ? first.names : [];
  if (chain.length >= 2 && chain[chain.length - 1] === 'Has' && chain[chain.length - 2] === 'APIVersions') {
    const asked = [...rest.map((a) => arg(a, dot, scope)), ...(piped ? [piped] : [])][0]?.value;
    return typeof asked === 'string' ? { value: hasApiVersion(asked) } : { value: UNKNOWN };
  }
  // `.Files.Get "x"`, `.Files.Glob "files/*"`, `.Files.Lines "x"`, and `(…Glob …).AsConfig` / `.AsSecrets`.
  const method = chain[chain.length - 1];
  if (chain.length >= 2 && (method === 'Get' || method === 'Glob' || method === 'Lines' || method === 'AsConfig' || method === 'AsSecrets')) {
    const owner = first.kind === 'field' ? fields(dot, chain.slice(0, -1)) : first.kind === 'variable' ? fields([...scope.vars].reverse().find((x) => x.name === first.name)?.val ?? { value: null }, chain.slice(0, -1)) : null;
    if (owner && isGoMap(owner.value)) {
      const asked = [...rest.map((a) => arg(a, dot, scope)), ...(piped ? [piped] : [])][0]?.value;
      return filesMethod(owner.value, method, typeof asked === 'string' ? asked : '');
    }
  }
  if (rest.length > 0 || piped) {
    // A field used as a method with arguments, or a non-function given arguments.
    if (first.kind === 'field' || first.kind === 'variable') return { value: UNKNOWN };
    throw new RenderError("can't give argument to non-function");
  }
  return arg(first, dot, scope);
}

function arg(a: Arg, dot: Val, scope: Scope): Val {
  switch (a.kind) {
    case 'dot': return dot;
    case 'nil': return { value: null };
    case 'bool': return { value: a.value };
    case 'string': return { value: a.value };
    case 'number': return { value: a.int ? new GoInt(BigInt(Math.trunc(a.value))) : a.value };
    case 'field': return fields(dot, a.names);
    case 'variable': {
      const v = [...scope.vars].reverse().find((x) => x.name === a.name);
      if (!v) throw new RenderError(`undefined variable ${a.name}`);
      return fields(v.val, a.names);
    }
    case 'pipe': return fields(pipe(a.pipe, dot, scope), a.names);
    case 'identifier': {
      const fn = FUNCTIONS[a.name];
      if (fn) return fn([]);
      return { value: UNKNOWN };
    }
  }
}

/** `.a.b.c` on a value: map keys (missing: nil), as Helm's missingkey=zero gives; a field of nil fails, as in Go. */
function fields(start: Val, names: string[]): Val {
  let cur = start;
  for (const name of names) {
    const v = cur.value;
    if (v === UNKNOWN) return { value: UNKNOWN };
    if (isGoMap(v)) {
      cur = v.has(name) ? child(cur, v.get(name)!, name) : { value: null };
      continue;
    }
    if (v === null) throw new RenderError(`nil pointer evaluating interface {}.${name}`);
    throw new RenderError(`can't evaluate field ${name} in type ${typeof v}`);
  }
  return cur;
}

/** Prints a value into the output: its own spans, else its source, else the action's. */
export function print(v: Val, out: Out, fallback: Source | undefined): void {
  // text/template prints a nil as "<no value>", which Helm removes afterwards.
  if (v.value === null) {
    // A missing value: Helm prints nothing; where it was stays marked, so what it is part of is not judged.
    out.add(NO_VALUE, [{ start: 0, end: NO_VALUE.length, source: MISSING }], undefined, fallback);
    return;
  }
  const text = v.value === UNKNOWN ? UNKNOWN_TEXT : goString(v.value);
  out.add(text, v.value === UNKNOWN ? [] : v.spans ?? [], v.source ?? fallback, fallback);
}

/** `include NAME DATA`: the named template's output, as a string value that keeps its spans. */
function include(engine: Engine, args: Val[]): Val {
  const name = args[0]?.value;
  if (typeof name !== 'string') return { value: UNKNOWN };
  const t = engine.named.get(name);
  if (!t) throw new RenderError(`no template ${JSON.stringify(name)} associated`);
  const r = invokeOrUnknown(engine, t, args[1] ?? { value: null });
  if (!r) return { value: UNKNOWN };
  const clean = removeNoValue({ text: r.text, spans: r.spans, add() {} } as unknown as Out);
  return { value: clean.text, spans: clean.spans };
}

/** `tpl STRING DATA`: the string rendered as a template; its text keeps the string's own sources. */
function tpl(engine: Engine, args: Val[]): Val {
  const [str, data] = args;
  if (typeof str?.value !== 'string') return { value: str?.value === UNKNOWN ? UNKNOWN : '' };
  const parsed = (() => {
    try {
      return parseTemplate(str.value);
    } catch {
      throw new RenderError('tpl: the string does not parse as a template');
    }
  })();
  const inner: Engine = { named: new Map(engine.named), depth: engine.depth + 1 };
  const text = (start: number, end: number) => sliceSpans(str, start, end);
  for (const [name, nodes] of parsed.defines) inner.named.set(name, { nodes, text });
  const r = execute(inner, parsed.root, data ?? { value: null }, text, () => str.source);
  return { value: r.text, spans: r.spans };
}

/** The spans of part of a string value (`start`…`end` of its text), moved to start at 0. */
export function sliceSpans(v: Val, start: number, end: number): Span[] {
  if (v.spans) {
    return v.spans.flatMap((s) => (s.end <= start || s.start >= end ? [] : [{ start: Math.max(s.start, start) - start, end: Math.min(s.end, end) - start, source: s.source }]));
  }
  return v.source ? [{ start: 0, end: end - start, source: v.source }] : [];
}

/** Helm's `.Files` methods over a map of path → content. */
function filesMethod(files: GoMap, method: string, asked: string): Val {
  switch (method) {
    case 'Get': { const v = files.get(asked); return { value: typeof v === 'string' ? v : '' }; }
    case 'Lines': { const v = files.get(asked); return { value: typeof v === 'string' ? v.split('\n') : [] }; }
    case 'Glob': {
      const re = globToRegExp(asked);
      return { value: new Map([...files].filter(([k]) => re.test(k))) };
    }
    case 'AsConfig': case 'AsSecrets': {
      const m = new Map([...files].map(([k, v]) => [k.slice(k.lastIndexOf('/') + 1), method === 'AsSecrets' ? Buffer.from(String(v)).toString('base64') : v] as [string, GoValue]));
      const sorted = [...m.keys()].sort();
      return { value: sorted.map((k) => `${k}: ${JSON.stringify(m.get(k))}`).join('\n') };
    }
  }
  return { value: UNKNOWN };
}

/** gobwas/glob as Helm's Files.Glob uses it, for the patterns charts write: `*`, `**`, `?`, `{a,b}`. */
function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') { if (glob[i + 1] === '*') { re += '.*'; i++; } else re += '[^/]*'; }
    else if (c === '?') re += '[^/]';
    else if (c === '{') { const end = glob.indexOf('}', i); if (end < 0) { re += '\\{'; continue; } re += `(?:${glob.slice(i + 1, end).split(',').map((p) => p.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')).join('|')})`; i = end; }
    else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Built-in API group versions of Kubernetes 1.31 (Helm's default capabilities); kinds are accepted with them. */
const API_VERSIONS = new Set([
  'v1', 'admissionregistration.k8s.io/v1', 'apiextensions.k8s.io/v1', 'apiregistration.k8s.io/v1', 'apps/v1',
  'authentication.k8s.io/v1', 'authorization.k8s.io/v1', 'autoscaling/v1', 'autoscaling/v2', 'batch/v1',
  'certificates.k8s.io/v1', 'coordination.k8s.io/v1', 'discovery.k8s.io/v1', 'events.k8s.io/v1',
  'flowcontrol.apiserver.k8s.io/v1', 'networking.k8s.io/v1', 'node.k8s.io/v1', 'policy/v1',
  'rbac.authorization.k8s.io/v1', 'scheduling.k8s.io/v1', 'storage.k8s.io/v1',
]);

function hasApiVersion(asked: string): boolean {
  const parts = asked.split('/');
  // "apps/v1/Deployment" and "v1/Pod": the group version decides (every built-in kind of it is served).
  const gv = parts.length >= 3 || (parts.length === 2 && /^[A-Z]/.test(parts[1])) ? parts.slice(0, -1).join('/') : asked;
  return API_VERSIONS.has(gv);
}

const NO_VALUE = '<no value>';

/**
 * The source of the place a missing value was printed at (an empty stretch of output): an image with one in it is
 * made of a value the chart expects from its user (`image: "{{ .Values.image.repository }}:…"` with no default).
 */
export const MISSING: Source = Object.freeze({ uri: 'helm:missing', range: Object.freeze({ start: 0, end: 0 }) });

function removeNoValue(out: { text: string; spans: Span[] }): Rendered {
  if (!out.text.includes(NO_VALUE)) return { text: out.text, spans: out.spans };
  let text = '';
  const spans: Span[] = [];
  let from = 0;
  const cuts: [number, number][] = [];
  for (let at = out.text.indexOf(NO_VALUE); at >= 0; at = out.text.indexOf(NO_VALUE, at + NO_VALUE.length)) cuts.push([at, at + NO_VALUE.length]);
  const map = (offset: number) => offset - cuts.filter(([, e]) => e <= offset).length * NO_VALUE.length;
  for (const [s, e] of cuts) {
    text += out.text.slice(from, s);
    from = e;
  }
  text += out.text.slice(from);
  for (const s of out.spans) {
    const inside = cuts.some(([cs, ce]) => s.start >= cs && s.end <= ce);
    // A missing value's mark stays, empty, where the cut was; the rest of a cut goes with it.
    if (inside && s.source !== MISSING) continue;
    spans.push({ ...s, start: map(s.start), end: inside ? map(s.start) : map(s.end) });
  }
  return { text, spans };
}

export type { GoMap };
