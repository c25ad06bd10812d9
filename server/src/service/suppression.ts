import type { Lines } from './text/lines';
import type { PodSpecSite } from './parse/podSpecs';
import type { K8sObject } from './parse/manifests';
import { mapAt, stringAt } from './parse/yamlNodes';

const MARKER = 'k8s-image-lint-disable';
const DIRECTIVE = /(?:^|\s)#\s*k8s-image-lint-disable-(next-line|line|file)\b([^\n\r]*)/;
export const IGNORE_ANNOTATION = 'k8s-image-lint.io/ignore';

/** Rule ids of a directive: `RULE[,RULE…] [-- reason]`; an empty list means every rule. */
function ruleList(rest: string): Set<string> | 'all' {
  const ids = rest.split('--')[0].split(/[\s,]+/).filter(Boolean);
  return ids.length === 0 ? 'all' : new Set(ids);
}

/** A directive in a comment: where its line starts, what it silences and which rules. */
export interface Directive {
  offset: number;
  kind: 'next-line' | 'line' | 'file';
  rules: Set<string> | 'all';
}

/** The directives of `text[start, end)` (whole lines), with offsets relative to `start`. */
export function directivesIn(text: string, start = 0, end = text.length): Directive[] {
  const span = start === 0 && end === text.length ? text : text.slice(start, end);
  if (!span.includes(MARKER)) return [];
  const out: Directive[] = [];
  // Lines as `Lines` cuts them: at LF, CRLF and a lone CR.
  for (const line of span.matchAll(/[^\n\r]*(?:\r\n|\r|\n|$)/g)) {
    if (line[0] === '') break;
    const m = DIRECTIVE.exec(line[0]);
    if (m) out.push({ offset: line.index!, kind: m[1] as Directive['kind'], rules: ruleList(m[2]) });
  }
  return out;
}

/** Suppression directives found in comments, by the line they silence. */
export class Suppressions {
  private readonly byLine = new Map<number, Array<Set<string> | 'all'>>();
  private readonly file: Array<Set<string> | 'all'> = [];

  /** `directives` as offsets in the text of `lines`. */
  constructor(lines: Lines, directives: readonly Directive[] = directivesIn(lines.text)) {
    for (const d of directives) {
      if (d.kind === 'file') {
        this.file.push(d.rules);
        continue;
      }
      const line = lines.lineOf(d.offset);
      const target = d.kind === 'line' ? line : line + 1;
      const list = this.byLine.get(target) ?? [];
      list.push(d.rules);
      this.byLine.set(target, list);
    }
  }

  /** True when no directive silences anything: no finding needs to be looked up. */
  get none(): boolean {
    return this.file.length === 0 && this.byLine.size === 0;
  }

  isSuppressed(ruleId: string, line: number): boolean {
    const hit = (r: Set<string> | 'all') => r === 'all' || r.has(ruleId);
    return this.file.some(hit) || (this.byLine.get(line)?.some(hit) ?? false);
  }
}

/** Rule ids listed in the `k8s-image-lint.io/ignore` annotation of an object and, for a pod, its template. */
export function ignoredByAnnotation(object: K8sObject, pod?: PodSpecSite): Set<string> {
  const out = new Set<string>();
  const collect = (meta: ReturnType<typeof mapAt>) => {
    const annotations = meta && mapAt(meta, 'annotations');
    const value = annotations && stringAt(annotations, IGNORE_ANNOTATION);
    if (value) for (const id of value.split(',')) if (id.trim()) out.add(id.trim());
  };
  collect(mapAt(object.node, 'metadata'));
  if (pod?.templateMetadata) collect(pod.templateMetadata);
  return out;
}

