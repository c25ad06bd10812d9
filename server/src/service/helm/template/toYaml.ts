/**
 * Helm's `toYaml`: sigs.k8s.io/yaml's Marshal (JSON first, so map keys sorted and numbers as JSON writes them,
 * then go-yaml v2's block style: lists not indented under their key, strings quoted only when YAML 1.1 would
 * read them as something else), without the final newline. Each scalar that came from a values file keeps its
 * source, so a finding on a rendered `- regcred` lands on the values line.
 */
import { GoInt, isGoMap, sourceOfChild, UNKNOWN, type GoValue, type Source } from '../values';
import type { Span, Val } from './exec';

interface Emit {
  text: string;
  spans: Span[];
}

export function toYamlText(v: Val): Val {
  const out: Emit = { text: '', spans: [] };
  if (v.value === UNKNOWN) return { value: UNKNOWN };
  block(v.value, v.source, 0, out, true);
  return { value: out.text.replace(/\n$/, ''), spans: out.spans };
}

/** Writes `value` as a block node starting at the current position (after `key: ` or `- `, or at the top). */
function block(value: GoValue, source: Source | undefined, indent: number, out: Emit, top: boolean): void {
  const pad = ' '.repeat(indent);
  if (isGoMap(value)) {
    if (value.size === 0) return scalarLine('{}', undefined, out);
    const keys = [...value.keys()].sort();
    keys.forEach((k, i) => {
      if (i > 0 || !top) out.text += i === 0 ? '' : pad;
      out.text += `${scalarText(k)}:`;
      const child = value.get(k)!;
      const childSource = sourceOfChild(value, k);
      if (isGoMap(child) && child.size > 0) {
        out.text += `\n${' '.repeat(indent + 2)}`;
        block(child, childSource, indent + 2, out, false);
      } else if (Array.isArray(child) && child.length > 0) {
        out.text += `\n${pad}`;
        block(child, childSource, indent, out, false);
      } else {
        out.text += ' ';
        block(child, childSource, indent + 2, out, false);
      }
    });
    return;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return scalarLine('[]', undefined, out);
    value.forEach((item, i) => {
      if (i > 0) out.text += pad;
      out.text += '- ';
      block(item, sourceOfChild(value, i), indent + 2, out, false);
    });
    return;
  }
  if (typeof value === 'string' && value.includes('\n')) {
    // A literal block, kept (`|`) or stripped (`|-`) of its final newline as go-yaml writes it.
    const keep = value.endsWith('\n');
    out.text += keep ? '|\n' : '|-\n';
    const lines = (keep ? value.slice(0, -1) : value).split('\n');
    out.text += lines.map((l) => (l === '' ? '' : ' '.repeat(indent) + l)).join('\n') + '\n';
    return;
  }
  scalarLine(scalarText(value), source, out, quoteWidth(value));
}

function scalarLine(text: string, source: Source | undefined, out: Emit, quote = 0): void {
  const start = out.text.length + quote;
  out.text += text;
  if (source && text.length > 2 * quote) out.spans.push({ start, end: out.text.length - quote, source });
  out.text += '\n';
}

/** How many quote characters a string gets on each side (0 or 1), for the span of its content. */
function quoteWidth(value: GoValue): number {
  return typeof value === 'string' && scalarText(value) !== value ? 1 : 0;
}

/** A scalar as go-yaml v2 writes it after a JSON round trip. */
export function scalarText(value: GoValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (value instanceof GoInt) return value.value.toString();
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) < 1e21 ? String(value) : jsonFloat(value);
  if (typeof value !== 'string') return '';
  if (resolvesToNonString(value)) return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  if (!plainAllowed(value)) return /[\x00-\x08\x0b-\x1f\x7f]/.test(value) ? JSON.stringify(value) : `'${value.replace(/'/g, "''")}'`;
  return value;
}

function jsonFloat(f: number): string {
  const s = String(f);
  return s.includes('e') ? s.replace(/e\+?/, (m) => (m === 'e+' ? 'e+' : 'e')) : s;
}

/** YAML 1.1 as go-yaml v2 resolves plain scalars: null, booleans, numbers, base-60. */
function resolvesToNonString(s: string): boolean {
  if (s === '' || s === '~' || /^(null|Null|NULL)$/.test(s)) return true;
  if (/^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/.test(s)) return true;
  if (/^[-+]?(0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|(0|[1-9][0-9_]*))$/.test(s)) return true;
  if (/^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$/.test(s)) return true;
  if (/^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$/.test(s)) return true;
  if (/^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/.test(s)) return true;
  return false;
}

/** Whether go-yaml's emitter writes a string plain in block context. */
function plainAllowed(s: string): boolean {
  if (/^[\s]|[\s]$/.test(s)) return false;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(s) && !(/^[-?:][^\s]/.test(s))) return false;
  if (/: |:$| #|[\x00-\x08\x0b-\x1f\x7f]/.test(s)) return false;
  return true;
}
