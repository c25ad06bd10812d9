import type { JsonReport, ReportSummary } from './report';
import { printable } from './printable';

/**
 * Compiler-style lines, one per finding: `path:line:col severity rule-id message` (the SPEC §7 form), 1-based line and column
 * (column in UTF-16 code units, like the LSP and SARIF outputs). Messages are kept on one line.
 *
 * @example 'deploy/web.yaml:18:16 warning missing-tag The image "nginx" has no tag…\n'
 */
export function formatText(report: JsonReport, colour = false): string {
  let out = '';
  const paint = (severity: string) => (colour ? `${COLOURS[severity] ?? ''}${severity}\u001b[0m` : severity);
  for (const file of report.files) {
    for (const f of file.findings) {
      const { line, character } = f.range.start;
      const source = f.source !== undefined ? ` (from ${f.source})` : '';
      out += `${printable(file.path)}:${line + 1}:${character + 1} ${paint(f.severity)} ${f.ruleId} ${printable(f.message.replace(/\s*[\r\n]+\s*/g, ' ') + source)}\n`;
    }
  }
  return out;
}

/** ANSI colours of the severities, on a terminal only (see `useColour`). */
const COLOURS: Record<string, string> = { error: '\u001b[31m', warning: '\u001b[33m', info: '\u001b[36m', hint: '\u001b[2m' };

/** Colour on a terminal, never when piped, with `NO_COLOR` set, or on a dumb terminal. */
export function useColour(isTTY: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  return !!isTTY && env.NO_COLOR === undefined && env.TERM !== 'dumb';
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The closing line for humans (written to stderr, so stdout holds only finding lines). */
export function summaryLine(summary: ReportSummary, fixedFiles: number): string {
  const { files, images, errors, warnings, infos, hints } = summary;
  const total = errors + warnings + infos + hints;
  const scope = `${plural(files, 'file', 'files')}, ${plural(images, 'image', 'images')}`;
  const fixed = fixedFiles > 0 ? ` Fixed ${plural(fixedFiles, 'file', 'files')}.` : '';
  if (total === 0) return `No problems found (${scope}).${fixed}\n`;
  const counts = `${plural(errors, 'error', 'errors')}, ${plural(warnings, 'warning', 'warnings')}, ${plural(infos, 'info', 'infos')}, ${plural(hints, 'hint', 'hints')}`;
  return `${plural(total, 'problem', 'problems')} (${counts}) in ${scope}.${fixed}\n`;
}
