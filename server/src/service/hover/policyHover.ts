/** The hover of an `imagePullPolicy` key or value (`pullPolicy` in image volumes). */
import type { ImageFact } from '../facts';
import { defaultPullPolicy } from '../image/pullPolicy';
import { blocks, bullets, code } from './markdown';
import { explainPolicy, kubeletBehaviour, policyKey, POLICY_SUMMARY, PULL_POLICIES, siteLabel } from './policyText';

/** Markdown explaining the three values and which one applies to `fact`'s site, and why. */
export function policyHover(fact: ImageFact): string {
  const explained = explainPolicy(fact);
  const list = PULL_POLICIES.map((p) => {
    const item = `\`${p}\`: ${POLICY_SUMMARY[p]}.`;
    return p === explained.policy ? `- **${item}** ← applies here` : `- ${item}`;
  }).join('\n');
  return blocks([
    `### ${code(policyKey(fact))}`,
    `When the kubelet pulls the image of ${siteLabel(fact)}:`,
    list,
    here(fact, explained),
    'The `AlwaysPullImages` admission plugin, where a cluster enables it, forces `Always`.',
  ]);
}

function here(fact: ImageFact, explained: ReturnType<typeof explainPolicy>): string {
  if (explained.policy === null) return `**Here:** ${explained.why}`;
  let head = `**Here: \`${explained.policy}\`** (${explained.source}): ${explained.why}`;
  // An explicit value hides the default; say what removing it would give, since that is the usual question.
  if (explained.source === 'explicit' && !fact.templated && fact.image !== null) {
    head += ` Without it, ${code(fact.image)} would default to \`${defaultPullPolicy(fact.image).policy}\`.`;
  }
  const kubelet = kubeletBehaviour(explained.policy);
  return blocks([head, bullets([`Node has the image: ${kubelet.has}`, `Node lacks it: ${kubelet.lacks}`, kubelet.note])]);
}
