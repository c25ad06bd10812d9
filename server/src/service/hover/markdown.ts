/**
 * Markdown helpers for hover text. Values shown in hovers come straight from the user's YAML, so they may hold
 * backticks, pipes, line breaks or surrounding whitespace; these helpers keep such values literal.
 */

/**
 * An inline code span that shows `value` verbatim, e.g. code('nginx') === '`nginx`'. The fence is longer than
 * any backtick run inside; values with line breaks, control characters or surrounding whitespace are shown
 * JSON-quoted, because a code span would collapse exactly the characters that make them wrong.
 */
export function code(value: string): string {
  const shown = /[\u0000-\u001f\u007f]/.test(value) || value.trim() !== value || value === '' ? JSON.stringify(value) : value;
  const longestRun = Math.max(0, ...(shown.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  // CommonMark strips one space on each side when both are present, so padding keeps edge backticks apart.
  const pad = shown.startsWith('`') || shown.endsWith('`') ? ' ' : '';
  return fence + pad + shown + pad + fence;
}

/** A bullet list from lines (empty entries dropped). */
export function bullets(items: (string | null | undefined | false)[]): string {
  return items.filter((i): i is string => !!i).map((i) => `- ${i}`).join('\n');
}

/** Joins Markdown blocks with blank lines, dropping empty ones. */
export function blocks(parts: (string | null | undefined | false)[]): string {
  return parts.filter((p): p is string => !!p).join('\n\n');
}
