/**
 * Mutations of real files: byte flips, truncation, deep nesting spliced in, long streams of documents, very long
 * lines, spliced halves of two files. Each mutation is data (drawn by fast-check) applied to a text, so a failure
 * shrinks to the smallest mutation and replays.
 */
import fc from 'fast-check';

/** Characters that matter to YAML, line breaks, surrogates (paired and lone) and other troublemakers. */
const FLIP_CHARS = [
  ':', '-', ' ', '\n', '\r', '\r\n', '\t', '#', '&', '*', '!', '{', '}', '[', ']', ',', '"', "'", '|', '>', '%', '@', '`', '?',
  'A', 'é', '😀', '\ud83d', '\ude00', '\u0000', '\u00a0', '\u2028', '\ufeff', '{{', '}}', '---', '...', 'image: ', 'imagePullPolicy: ',
];

export type Mutation =
  | { op: 'flip'; at: number; ch: string }
  | { op: 'delete'; at: number; len: number }
  | { op: 'truncate'; at: number }
  | { op: 'nest'; at: number; depth: number; kind: 'flowSeq' | 'flowMap' | 'block' | 'dash'; closed: boolean }
  | { op: 'longLine'; at: number; len: number; kind: 'image' | 'comment' | 'plain' | 'quoted' }
  | { op: 'duplicate'; at: number; len: number; to: number };

/**
 * Positions are fractions of the current length, so a mutation stays meaningful whatever text it meets. (Not
 * `fc.double`, whose bias towards extreme values puts nearly every mutation at offset 0.)
 */
export const fraction = fc.nat({ max: 999_999 }).map((n) => n / 1_000_000);

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ op: fc.constant('flip' as const), at: fraction, ch: fc.constantFrom(...FLIP_CHARS) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fraction, len: fc.integer({ min: 1, max: 40 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: fraction }) },
  {
    weight: 1,
    arbitrary: fc.record({
      // Around and far past the nesting the parser accepts (parse/documentCache.ts MAX_NESTING): from ~1000
      // levels `yaml` itself used to abort the process (regressions.test.ts, "deep nesting…").
      op: fc.constant('nest' as const), at: fraction, depth: fc.integer({ min: 50, max: 5000 }),
      kind: fc.constantFrom('flowSeq' as const, 'flowMap' as const, 'block' as const, 'dash' as const), closed: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('longLine' as const), at: fraction, len: fc.integer({ min: 1000, max: 200_000 }), kind: fc.constantFrom('image' as const, 'comment' as const, 'plain' as const, 'quoted' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('duplicate' as const), at: fraction, len: fc.integer({ min: 1, max: 2000 }), to: fraction }) },
);

/** `depth` levels of nesting, as one value. */
export function nesting(depth: number, kind: 'flowSeq' | 'flowMap' | 'block' | 'dash', closed: boolean, indent = ''): string {
  switch (kind) {
    case 'flowSeq': return '['.repeat(depth) + (closed ? `x${']'.repeat(depth)}` : '');
    case 'flowMap': return '{a: '.repeat(depth) + (closed ? `x${'}'.repeat(depth)}` : '');
    case 'dash': return `${'- '.repeat(depth)}x`;
    // Indentation grows with depth, so keep block nesting shallower than the others.
    case 'block': return Array.from({ length: Math.min(depth, 400) }, (_, i) => `\n${indent}${' '.repeat(i + 2)}k${i}:`).join('') + ' x';
  }
}

function lineStartBefore(text: string, at: number): number {
  const i = Math.max(text.lastIndexOf('\n', at - 1), text.lastIndexOf('\r', at - 1));
  return i + 1;
}

export function applyMutation(text: string, mu: Mutation): string {
  const at = Math.floor(mu.at * (text.length + 1));
  switch (mu.op) {
    case 'flip': return text.slice(0, at) + mu.ch + text.slice(at + 1);
    case 'delete': return text.slice(0, at) + text.slice(at + mu.len);
    case 'truncate': return text.slice(0, at);
    case 'nest': {
      // After a key on this line when there is one (`key: [[[[`), else as a new line.
      const start = lineStartBefore(text, at);
      const line = text.slice(start, at);
      const indent = /^[ \t]*/.exec(line)![0];
      const colon = line.indexOf(': ');
      const insert = colon >= 0 ? ` ${nesting(mu.depth, mu.kind, mu.closed, indent)}\n` : `${indent}deep: ${nesting(mu.depth, mu.kind, mu.closed, indent)}\n`;
      return colon >= 0 ? text.slice(0, start + colon + 1) + insert + text.slice(at) : text.slice(0, start) + insert + text.slice(start);
    }
    case 'longLine': {
      const start = lineStartBefore(text, at);
      const indent = /^[ \t]*/.exec(text.slice(start, at))![0];
      const body = mu.kind === 'image' ? `image: registry.example.com/${'a'.repeat(mu.len)}:1`
        : mu.kind === 'comment' ? `# ${'c'.repeat(mu.len)}`
        : mu.kind === 'quoted' ? `long: "${'q\\"'.repeat(mu.len / 3)}"`
        : `long: ${'p '.repeat(mu.len / 2)}`;
      return `${text.slice(0, start)}${indent}${body}\n${text.slice(start)}`;
    }
    case 'duplicate': {
      const piece = text.slice(at, at + mu.len);
      const to = Math.floor(mu.to * (text.length + 1));
      return text.slice(0, to) + piece + text.slice(to);
    }
  }
}

export const mutations = fc.array(mutation, { minLength: 1, maxLength: 6 });

/** `count` copies of `doc` as one stream, each a separate YAML document. */
export function stream(doc: string, count: number, separator = '---\n'): string {
  const body = doc.endsWith('\n') ? doc : `${doc}\n`;
  return Array.from({ length: count }, () => body).join(separator);
}
