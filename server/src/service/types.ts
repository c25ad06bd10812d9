/**
 * The vocabulary shared by every part of the pure service. Positions inside the service are UTF-16 offsets
 * into the document text (what `yaml` gives us); they become LSP line/character only at the edges.
 */

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';
export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

/** Half-open UTF-16 offset range `[start, end)` into the document text. */
export interface OffsetRange {
  start: number;
  end: number;
}

/** One text replacement, in offsets of the text the finding was computed on. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

/** A quick fix attached to a finding. `fixAll` marks fixes that need no choice and are safe to apply in bulk. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  isPreferred?: boolean;
  fixAll?: boolean;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  /** The explanation behind the message (Markdown), shown in hovers; absent when the message says it all. */
  detail?: string;
  range: OffsetRange;
  /** The part of `range` at fault, when narrower (see Report.focus). */
  focus?: OffsetRange;
  /** See Report.structural. */
  structural?: boolean;
  fixes: Fix[];
}
