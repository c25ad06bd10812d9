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

/** Suppression directives found in comments, by the line they silence. */
export class Suppressions {
  private readonly byLine = new Map<number, Array<Set<string> | 'all'>>();
  private readonly file: Array<Set<string> | 'all'> = [];

  constructor(lines: Lines) {
    if (!lines.text.includes(MARKER)) return;
    for (let line = 0; line < lines.count; line++) {
      const m = DIRECTIVE.exec(lines.lineText(line));
      if (!m) continue;
      const rules = ruleList(m[2]);
      if (m[1] === 'file') this.file.push(rules);
      else {
        const target = m[1] === 'line' ? line : line + 1;
        const list = this.byLine.get(target) ?? [];
        list.push(rules);
        this.byLine.set(target, list);
      }
    }
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

