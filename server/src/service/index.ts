/**
 * The pure language service: text in, facts, findings, hovers and edits out. No LSP transport, no fs, no
 * network. Front ends (server.ts, cli.ts) import from here only.
 */
export { analyze, severityOf, FILE_TOO_LARGE, type Analysis } from './analyze';
export { defaultSettings, fromRaw, type Settings } from './settings';
export { RULES, RULES_BY_ID, ruleDocUrl } from './rules/index';
export { quickFixes, fixAllEdits, fixAllText, fixAllAsEdits, FIX_ALL_KIND, FIX_ALL_TITLE, type CodeActionResult } from './codeActions';
export { hover, type HoverResult } from './hover';
export { inlayHints, type InlayHintResult } from './inlayHints';
export { completions, type CompletionResult } from './completion';
export { applyEdits } from './edit/applyEdits';
export type { Finding, Fix, OffsetRange, Severity, TextEdit, PullPolicy } from './types';
