/**
 * A small YAML writer for generated trees, so the fuzzers control the surface syntax the analyser sees: block or
 * flow collections, plain/quoted scalars, anchors and aliases, comments before and after entries, and either
 * list indentation style. All choices are fields of the tree (drawn by fast-check), none are random here, so a
 * failing input shrinks and replays exactly. Plain scalars are written as given: an odd one may make the
 * document invalid YAML, which the properties are meant to survive.
 */

export type ScalarStyle = 'plain' | 'single' | 'double';

export type YNode =
  | { t: 'scalar'; value: string | number | boolean | null; style?: ScalarStyle; anchor?: string }
  | { t: 'map'; entries: YEntry[]; flow?: boolean; anchor?: string }
  | { t: 'seq'; items: YNode[]; flow?: boolean; anchor?: string }
  | { t: 'alias'; name: string }
  /** Written verbatim where a value goes (garbage, odd null spellings). */
  | { t: 'raw'; text: string };

export interface YEntry {
  key: string;
  keyStyle?: ScalarStyle;
  value: YNode;
  /** A comment after the entry's key line (without `#`). */
  comment?: string;
  /** A full-line comment above the entry (without `#`). */
  before?: string;
}

export interface EmitOptions {
  /** Indentation of a block list under its key: 0 (`key:\n- a`, kubectl's style) or 2. */
  seqIndent: 0 | 2;
}

// Shorthands for building trees.
export const s = (value: string | number | boolean | null, style: ScalarStyle = 'plain'): YNode => ({ t: 'scalar', value, style });
export const m = (entries: [string, YNode][], flow = false): YNode => ({ t: 'map', entries: entries.map(([key, value]) => ({ key, value })), flow });
export const q = (items: YNode[], flow = false): YNode => ({ t: 'seq', items, flow });

function scalarText(value: string | number | boolean | null, style: ScalarStyle = 'plain'): string {
  if (value === null) return style === 'plain' ? 'null' : style === 'single' ? '~' : '';
  if (typeof value !== 'string') return String(value);
  if (style === 'single') return `'${value.replace(/'/g, "''")}'`;
  if (style === 'double') return JSON.stringify(value);
  return value;
}

const keyText = (e: YEntry) => scalarText(e.key, e.keyStyle);
const comment = (c: string | undefined) => (c === undefined ? '' : ` #${c}`);
const anchorOf = (n: YNode) => ('anchor' in n && n.anchor ? `&${n.anchor} ` : '');

/** True when the node is written on its key's line. */
function inline(n: YNode): boolean {
  return n.t === 'scalar' || n.t === 'alias' || n.t === 'raw' || !!n.flow || (n.t === 'map' ? n.entries.length === 0 : n.items.length === 0);
}

/** A node in flow style (on one line). */
export function flowText(n: YNode): string {
  switch (n.t) {
    case 'scalar': return anchorOf(n) + scalarText(n.value, n.style);
    case 'alias': return `*${n.name}`;
    // A block scalar cannot stand in a flow collection (or on the key's line of one): quote its text there.
    case 'raw': return n.text.includes('\n') ? JSON.stringify(n.text) : n.text;
    case 'map': return `${anchorOf(n)}{${n.entries.map((e) => `${keyText(e)}: ${flowText(e.value)}`).join(', ')}}`;
    case 'seq': return `${anchorOf(n)}[${n.items.map(flowText).join(', ')}]`;
  }
}

function blockMap(n: Extract<YNode, { t: 'map' }>, indent: number, o: EmitOptions): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const e of n.entries) {
    if (e.before !== undefined) lines.push(`${pad}#${e.before}`);
    const v = e.value;
    if (inline(v)) {
      const text = v.t === 'raw' ? v.text : flowText(v);
      lines.push(`${pad}${keyText(e)}:${text === '' ? '' : ` ${text}`}${comment(e.comment)}`);
    } else {
      const anchor = anchorOf(v).trimEnd();
      lines.push(`${pad}${keyText(e)}:${anchor ? ` ${anchor}` : ''}${comment(e.comment)}`);
      lines.push(...block(v, v.t === 'seq' ? indent + o.seqIndent : indent + 2, o));
    }
  }
  return lines;
}

function blockSeq(n: Extract<YNode, { t: 'seq' }>, indent: number, o: EmitOptions): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const item of n.items) {
    if (inline(item)) {
      lines.push(`${pad}- ${item.t === 'raw' ? item.text : flowText(item)}`);
    } else if (item.t === 'map' && !item.anchor) {
      // The first entry shares the dash's line: `- name: web`.
      const inner = blockMap(item, indent + 2, o);
      lines.push(`${pad}- ${inner[0].slice(indent + 2)}`, ...inner.slice(1));
    } else {
      lines.push(`${pad}-${'anchor' in item && item.anchor ? ` &${item.anchor}` : ''}`);
      lines.push(...block(item, indent + 2, o));
    }
  }
  return lines;
}

function block(n: YNode, indent: number, o: EmitOptions): string[] {
  if (n.t === 'map' && !n.flow && n.entries.length > 0) return blockMap(n, indent, o);
  if (n.t === 'seq' && !n.flow && n.items.length > 0) return blockSeq(n, indent, o);
  return [' '.repeat(indent) + flowText(n)];
}

/** One YAML document's lines (no separator, no line breaks). */
export function emitDocument(root: YNode, o: EmitOptions): string[] {
  return block(root, 0, o);
}
