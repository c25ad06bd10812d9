/**
 * How two versions of a text differ, as the lengths of their common prefix and common suffix (which never
 * overlap: `prefix + suffix <= min(a.length, b.length)`). Everything the incremental analysis reuses between
 * versions is found from these two numbers.
 */
export interface Affixes {
  prefix: number;
  suffix: number;
}

/** Compared in blocks: string equality is a native memory compare, far faster than a loop over characters. */
const BLOCK = 4096;

export function commonAffixes(a: string, b: string): Affixes {
  // The same text (the CLI's second round, a re-analysis): one native comparison, not one per block.
  if (a === b) return { prefix: a.length, suffix: 0 };
  const max = Math.min(a.length, b.length);
  let prefix = 0;
  while (prefix + BLOCK <= max && a.slice(prefix, prefix + BLOCK) === b.slice(prefix, prefix + BLOCK)) prefix += BLOCK;
  while (prefix < max && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  const room = max - prefix;
  let suffix = 0;
  const ea = a.length;
  const eb = b.length;
  while (suffix + BLOCK <= room && a.slice(ea - suffix - BLOCK, ea - suffix) === b.slice(eb - suffix - BLOCK, eb - suffix)) suffix += BLOCK;
  while (suffix < room && a.charCodeAt(ea - suffix - 1) === b.charCodeAt(eb - suffix - 1)) suffix++;
  return { prefix, suffix };
}
