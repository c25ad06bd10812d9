// The corpus walk shared by the bench scripts: every *.yaml/*.yml below `dir`, sorted, skipping node_modules and .git.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function yamlFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name === '.git') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/i.test(name)) out.push(p);
  }
  return out;
}
