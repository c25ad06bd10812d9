/**
 * Completion of pull-policy values, and of Secret names in `imagePullSecrets` (secretCompletion.ts). The text is usually incomplete while this runs (`imagePullPolicy: ` with
 * nothing after it, `imagePullPolicy: If`), so the place is found by scanning the cursor's line; the YAML tree
 * is used only to learn which container the key belongs to, for ordering.
 */
import type { Analysis } from './analyze';
import type { ImageFact } from './facts';
import { defaultPullPolicy } from './image/pullPolicy';
import { parseImageReference } from './image/reference';
import { isTemplated } from './parse/manifests';
import type { OffsetRange, PullPolicy } from './types';
import { blocks, bullets, code } from './hover/markdown';
import { secretNameCompletions } from './secretCompletion';
import { defaultReason, kubeletBehaviour, POLICY_SUMMARY, PULL_POLICIES } from './hover/policyText';

export interface CompletionResult {
  label: string;
  detail: string;
  /** Markdown. */
  documentation: string;
  /** The text the label replaces: the value typed so far, plus the rest of its word after the cursor. */
  range: OffsetRange;
  preselect?: boolean;
}

/**
 * Secret names at `offset` in an `imagePullSecrets` entry (see secretCompletion.ts); else pull-policy values, when it sits after `imagePullPolicy: ` (in a container) or `pullPolicy: ` (in
 * an image volume) or inside such a value; else []. The image's default comes first and is preselected.
 *
 * @example completions(analysis, offsetAfter('imagePullPolicy: If')) -> Always, IfNotPresent, Never items whose
 *   range covers `If`; IfNotPresent first when the image is `nginx:1.27`
 */
export function completions(analysis: Analysis, offset: number, options: { schemaCompletesPolicies?: boolean } = {}): CompletionResult[] {
  const secrets = secretNameCompletions(analysis, offset);
  if (secrets) return secrets;
  // A Kubernetes schema (Red Hat's YAML extension) lists the three values already: a second list is noise.
  if (options.schemaCompletesPolicies) return [];
  const { lines } = analysis;
  const line = lines.lineOf(offset);
  const lineStart = lines.start(line);
  const found = policyValueAt(lines.lineText(line), offset - lineStart);
  if (!found) return [];
  const fact = ownerOf(analysis, lineStart + found.keyStart, found.key);
  // `pullPolicy` is a common key elsewhere (Helm values, other resources); complete it only in image volumes.
  if (found.key === 'pullPolicy' && fact === undefined) return [];
  const image = fact && fact.image !== null && !isTemplated(fact.image) ? fact.image : null;
  const preferred = image !== null ? defaultPullPolicy(image).policy : null;
  const order = preferred ? [preferred, ...PULL_POLICIES.filter((p) => p !== preferred)] : [...PULL_POLICIES];
  const range = { start: lineStart + found.valueStart, end: lineStart + found.valueEnd };
  return order.map((policy) => {
    const isDefault = policy === preferred;
    const item: CompletionResult = {
      label: policy,
      detail: isDefault ? `Kubernetes' default for ${image}` : POLICY_SUMMARY[policy],
      documentation: documentation(policy, isDefault ? image : null),
      range,
    };
    if (isDefault) item.preselect = true;
    return item;
  });
}

/** Where a policy value starts and ends on a line, in columns, when `col` is inside or right after it. */
interface PolicyValue {
  key: 'imagePullPolicy' | 'pullPolicy';
  keyStart: number;
  valueStart: number;
  valueEnd: number;
}

// A key at the start of a block mapping, after `- `, or inside a flow map; optionally quoted.
const KEY = /(^|[\s{,])(["']?)(imagePullPolicy|pullPolicy)\2[ \t]*:/g;
// Between the colon and the cursor: at least one space (YAML needs it), an optional opening quote, letters.
const TYPED = /^[ \t]+(["']?)([A-Za-z]*)$/;

function policyValueAt(text: string, col: number): PolicyValue | null {
  if (col < 0 || col > text.length) return null;
  let found: PolicyValue | null = null;
  for (const m of text.matchAll(KEY)) {
    const keyStart = m.index! + m[1].length;
    // Skip keys that are inside a comment.
    if (/(^|\s)#/.test(text.slice(0, keyStart))) break;
    const colonEnd = m.index! + m[0].length;
    if (colonEnd > col) break;
    const typed = TYPED.exec(text.slice(colonEnd, col));
    if (!typed) continue;
    const valueStart = col - typed[2].length;
    let valueEnd = col;
    while (valueEnd < text.length && /[A-Za-z]/.test(text[valueEnd])) valueEnd++;
    found = { key: m[3] as PolicyValue['key'], keyStart, valueStart, valueEnd };
  }
  return found;
}

/**
 * The image site whose policy key starts at `keyOffset`; when the tree does not have that pair (the text is
 * mid-edit), the site whose container map encloses it. Volumes' `pullPolicy` only matches image volumes.
 */
function ownerOf(analysis: Analysis, keyOffset: number, key: PolicyValue['key']): ImageFact | undefined {
  const candidates = analysis.images.filter((f) => (f.site.field === 'volumes') === (key === 'pullPolicy'));
  const exact = candidates.find((f) => f.site.policyPair?.key.range?.[0] === keyOffset);
  if (exact) return exact;
  return candidates.find((f) => {
    const r = f.site.node.range;
    return !!r && r[0] <= keyOffset && keyOffset <= r[2];
  });
}

function documentation(policy: PullPolicy, defaultFor: string | null): string {
  const kubelet = kubeletBehaviour(policy);
  const reference = defaultFor !== null ? parseImageReference(defaultFor) : null;
  return blocks([
    `\`${policy}\`: ${POLICY_SUMMARY[policy]}.`,
    bullets([`Node has the image: ${kubelet.has}`, `Node lacks it: ${kubelet.lacks}`, kubelet.note]),
    reference && defaultFor !== null ? `Kubernetes' default for ${code(defaultFor)}: ${defaultReason(reference)}` : null,
  ]);
}
