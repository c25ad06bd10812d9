import type { Rule } from './rule';

/**
 * image-placeholder: the image is a placeholder (`PROJECT_ID`, `<your-image>`, `${VAR}`, `ko://…`, Istio's `auto`)
 * that a build tool, a templating step or an admission webhook fills in. Said once, as information, instead of
 * judging it as a reference; never rewritten.
 */
export const imagePlaceholder: Rule = {
  id: 'image-placeholder',
  defaultSeverity: 'info',
  description: 'A build- or admission-time placeholder: never judged as a reference, never rewritten.',
  checkImage(fact) {
    if (fact.placeholder === null || !fact.range) return [];
    return [{ range: fact.range, message: `Placeholder ${JSON.stringify(fact.placeholder)}: replaced at build or admission time` }];
  },
};
