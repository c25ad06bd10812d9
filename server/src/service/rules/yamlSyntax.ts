import { DUPLICATE_KEY } from '../parse/documentCache';
import type { OffsetRange } from '../types';
import type { Rule } from './rule';

// A file whose parse failed may yield no objects at all, so also look for the two keys in the raw text:
// at a line start, optionally indented or after a sequence dash (`kind: List` items).
const API_VERSION = /^[ \t]*(?:-[ \t]+)?apiVersion[ \t]*:/m;
const KIND = /^[ \t]*(?:-[ \t]+)?kind[ \t]*:/m;
/** A mapping key as written, up to its `:`. */
const KEY = /^(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|[^\s:][^:\n]*?(?=[ \t]*:))/;

/**
 * yaml-syntax: YAML that kubectl's own decoder (go-yaml) rejects, only in files that hold Kubernetes objects
 * (other YAML is not ours to judge) and never in Helm templates (`{{ … }}` makes most templates invalid YAML by
 * design). What go-yaml accepts and strict YAML does not is read as go-yaml reads it (`parse/goYamlTolerance.ts`),
 * so it never gets here. A duplicate key is reported at the second key: `kubectl apply` keeps the last value,
 * kustomize, Flux and the API server reject the object.
 */
const MAX_MESSAGE = 100;
const LONE_CR = /\r(?!\n)/;

/** A parser message cut at a word before the limit, for the Problems panel; the whole one goes to the hover. */
function cut(message: string): string {
  const room = message.slice(0, MAX_MESSAGE - 1);
  const space = room.lastIndexOf(' ');
  return `${space > 40 ? room.slice(0, space) : room}…`;
}

export const yamlSyntax: Rule = {
  id: 'yaml-syntax',
  defaultSeverity: 'error',
  description: 'YAML that kubectl cannot read, or a key given twice in one map.',
  checkFile(ctx) {
    const { file } = ctx;
    const errors = file.syntaxErrors.filter((e) => !e.inTemplate);
    if (errors.length === 0) return [];
    if (file.objects.length === 0 && !(API_VERSION.test(file.text) && KIND.test(file.text))) return [];
    // A lone CR is a line break to go-yaml (YAML 1.2 too), not to the yaml package nor to our line-based edits:
    // such a file is not read as kubectl reads it, so its errors may be ours, and none is claimed.
    if (file.text.includes('\r') && LONE_CR.test(file.text)) return [];
    return errors.map((e) => {
      const range = widen(e.range, file.text);
      if (e.code === DUPLICATE_KEY) {
        const key = KEY.exec(file.text.slice(range.start, range.start + 256))?.[0] ?? file.text.slice(range.start, range.end);
        return {
          range: { start: range.start, end: range.start + key.length },
          message: `Duplicate key ${JSON.stringify(key.replace(/^["']|["']$/g, ''))}: kubectl keeps the last value; kustomize and the API server reject it`,
        };
      }
      const said = `Invalid YAML: ${e.message.replace(/\.$/, '')}`;
      return said.length <= MAX_MESSAGE ? { range, message: said } : { range, message: cut(said), detail: e.message };
    });
  },
};

/**
 * Editors hide zero-width diagnostics: cover the character at the error; at a line end or the end of the file
 * (an unclosed quote is reported there), cover the last character before the line break(s) instead.
 */
function widen(range: OffsetRange, text: string): OffsetRange {
  const start = Math.min(range.start, text.length);
  const end = Math.min(Math.max(range.end, start), text.length);
  if (end > start) return { start, end };
  const isBreak = (i: number) => text[i] === '\n' || text[i] === '\r';
  if (start < text.length && !isBreak(start)) return { start, end: start + 1 };
  let i = start - 1;
  while (i >= 0 && isBreak(i)) i--;
  return i >= 0 ? { start: i, end: i + 1 } : { start, end };
}
