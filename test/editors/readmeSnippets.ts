/** The editor configurations shown in README.md, extracted so that the tests run exactly what users copy. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deploymentWith, FLAWED_CONTAINERS } from '../helpers';

export const ROOT = resolve(__dirname, '..', '..', '..');
const PLACEHOLDER = '/path/to/k8s-image-lint';

/** The README's fenced `lang` blocks that contain `marker`, with the placeholder path replaced by this checkout. */
export function readmeSnippet(lang: string, marker: string): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]).filter((b) => b.includes(marker));
  if (blocks.length !== 1) throw new Error(`README.md should have exactly one \`\`\`${lang} block containing ${marker} (found ${blocks.length})`);
  if (!blocks[0].includes(PLACEHOLDER)) throw new Error(`the README's ${lang} block with ${marker} does not use ${PLACEHOLDER}`);
  return blocks[0].split(PLACEHOLDER).join(ROOT);
}

/** The workspace both editor tests open: a Deployment with three findings (its list indented under `containers:`). */
export const MANIFEST = deploymentWith(['containers:', ...FLAWED_CONTAINERS.map((l) => `  ${l}`)]);

/** What the server reports for MANIFEST: rule, 0-based line:col-line:col (UTF-16 = bytes here), sorted. */
export const EXPECTED = [
  'implicit-pull-policy 9:17-9:29',
  'invalid-pull-policy 12:27-12:33',
  'latest-tag 9:17-9:29',
];
