import type { Rule } from './rule';

/**
 * helm-numeric-tag: reported by the chart analysis (service/helm/chart.ts), which sees the values scalar and what
 * Helm prints for it; the rule is here for its id, severity and documentation.
 */
export const helmNumericTag: Rule = {
  id: 'helm-numeric-tag',
  defaultSeverity: 'warning',
  description: 'A Helm values scalar that go-yaml reads as a number, so the rendered image differs from what is written (tag: 1.10 renders 1.1).',
};
