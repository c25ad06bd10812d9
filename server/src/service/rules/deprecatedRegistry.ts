import { isScalar } from 'yaml';
import { knownCopied, movedImage } from '../registry/moves';
import { pulledManifest } from '../registry/refs';
import type { Fix } from '../types';
import { replaceScalarContent } from './scalarEdit';
import type { Report, Rule } from './rule';
import { imagePartRange } from './unpinned';

/**
 * deprecated-registry: the image names a registry or repository that moved or froze (service/registry/moves.ts:
 * the built-in table and `registryMoves`). The fix writes the new name; offline it is offered when the image is
 * known to be there, and with registry lookups only once the registry said it is (the server offers a checked
 * rewrite on request meanwhile). Offline fixes of the Kubernetes registry are safe for fix-all; Bitnami's legacy
 * copy is a stopgap the user should choose.
 */
export const deprecatedRegistry: Rule = {
  id: 'deprecated-registry',
  defaultSeverity: 'warning',
  // It reads the registry client's answers, which arrive between analyses: not cached with the document's chunks.
  usesRegistry: true,
  description: 'The image comes from a registry or repository that moved or froze (k8s.gcr.io, docker.io/bitnami, registryMoves).',
  checkImage(fact, ctx) {
    // It runs on every analysis: the cheap tests first (an image's range is computed when asked for).
    if (fact.templated || fact.image === null || !fact.reference?.valid) return [];
    const ref = fact.reference.ref;
    const moved = movedImage(ctx.settings, ref, fact.image);
    if (!moved || !fact.range) return [];
    const { move, rewritten } = moved;
    const when = move.since ? ` (${move.since})` : '';
    // With lookups, the registry's answer decides; offline, what the table knows.
    const known = ctx.registry && moved.destination ? ctx.registry.cachedDigest(pulledManifest({ ...ref, domain: moved.destination.domain, path: moved.destination.path })) : undefined;
    const absent = known !== undefined && !known.ok && (known.error.kind === 'not-found' || known.error.kind === 'not-found-or-unauthorized');
    const offer = rewritten !== null && (ctx.registry ? known?.ok === true : knownCopied(moved, ref));
    // "use X" only for a name known to exist: never a guess.
    const message = move.to === null
      ? `${JSON.stringify(move.from)} is frozen${when}; use an image from elsewhere`
      : offer
        ? `${JSON.stringify(move.from)} moved to ${JSON.stringify(move.to)}${when}; use ${JSON.stringify(rewritten)}`
        : `${JSON.stringify(move.from)} moved to ${JSON.stringify(move.to)}${when}`;
    const notThere = rewritten !== null && !offer && !ctx.registry && !knownCopied(moved, ref)
      ? ` ${JSON.stringify(rewritten)} is not known to exist there (this tag was not copied), so no rewrite is offered.`
      : '';
    const node = fact.site.imagePair?.value;
    const fixes: Fix[] = [];
    const edit = offer && rewritten && !fact.kustomized && isScalar(node) ? replaceScalarContent(ctx.file.text, node, rewritten) : null;
    if (edit) fixes.push({ title: `Use ${rewritten}`, edits: [edit], isPreferred: true, ...(move.copied === undefined && move.since !== '' ? { fixAll: true } : {}) });
    const report: Report = {
      range: fact.range,
      message,
      detail: `${move.why}${absent ? ` The registry says ${JSON.stringify(rewritten)} does not exist, so no rewrite is offered.` : notThere}`,
      fixes,
    };
    const focus = moved.changed && imagePartRange(fact, ctx.file.text, moved.changed);
    if (focus) report.focus = focus;
    return [report];
  },
};
