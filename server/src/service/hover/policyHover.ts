/** The hover of an `imagePullPolicy` key or value (`pullPolicy` in image volumes). */
import type { ImageFact } from '../facts';
import { defaultPullPolicy } from '../image/pullPolicy';
import { blocks, bullets, code } from './markdown';
import { explainPolicy, kubeletBehaviour, POLICY_EFFECT, policySource, POLICY_SUMMARY, PULL_POLICIES, type PolicyExplanation } from './policyText';

/**
 * Markdown for the policy that applies to `fact`'s site: the answer first (the value, where it comes from, what
 * it does; for an explicit value, what the default would be), then the three values unless a schema's hover
 * already lists them (`schemaDescribes`), then what the kubelet does.
 */
export function policyHover(fact: ImageFact, schemaDescribes = false): string {
  const explained = explainPolicy(fact);
  const list = PULL_POLICIES.map((p) => {
    const item = `\`${p}\`: ${POLICY_SUMMARY[p]}.`;
    return p === explained.policy ? `- **${item}** ← here` : `- ${item}`;
  }).join('\n');
  return blocks([
    answer(fact, explained),
    schemaDescribes ? null : list,
    behaviour(explained),
    'The `AlwaysPullImages` admission plugin, where a cluster enables it, forces `Always`.',
  ]);
}

function answer(fact: ImageFact, explained: PolicyExplanation): string {
  if (explained.policy === null) return `**Pull policy:** ${explained.why}`;
  let head = `**${code(explained.policy)}** (${policySource(fact, explained)}) · ${POLICY_EFFECT[explained.policy]}`;
  // An explicit value hides the default; say what removing it would give, since that is the usual question.
  if (explained.source === 'explicit' && !fact.templated && fact.image !== null) {
    head += `. Without it, ${code(fact.image)} would default to \`${defaultPullPolicy(fact.image).policy}\`.`;
  }
  return head;
}

function behaviour(explained: PolicyExplanation): string | null {
  if (explained.policy === null) return null;
  const kubelet = kubeletBehaviour(explained.policy);
  return bullets([`Node has the image: ${kubelet.has}`, `Node lacks it: ${kubelet.lacks}`, kubelet.note]);
}
