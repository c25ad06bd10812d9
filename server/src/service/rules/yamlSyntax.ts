import type { OffsetRange } from '../types';
import type { Rule } from './rule';

// A file whose parse failed may yield no objects at all, so also look for the two keys in the raw text:
// at a line start, optionally indented or after a sequence dash (`kind: List` items).
const API_VERSION = /^[ \t]*(?:-[ \t]+)?apiVersion[ \t]*:/m;
const KIND = /^[ \t]*(?:-[ \t]+)?kind[ \t]*:/m;

/**
 * yaml-syntax: the YAML parser's errors, only in files that hold Kubernetes objects (other YAML is not ours
 * to judge) and never in Helm templates (`{{ … }}` makes most templates invalid YAML by design).
 */
export const yamlSyntax: Rule = {
  id: 'yaml-syntax',
  defaultSeverity: 'error',
  description: 'The file is not valid YAML, so kubectl cannot apply it.',
  checkFile(ctx) {
    const { file } = ctx;
    const errors = file.syntaxErrors.filter((e) => !e.inTemplate);
    if (errors.length === 0) return [];
    if (file.objects.length === 0 && !(API_VERSION.test(file.text) && KIND.test(file.text))) return [];
    return errors.map((e) => ({
      range: widen(e.range, file.text),
      message: `YAML syntax error: ${e.message.replace(/\.?$/, '.')} kubectl cannot apply this file until it is fixed.`,
    }));
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
