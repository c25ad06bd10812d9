/**
 * Code-action kinds are hierarchical, dot-separated: a client asking for `source` wants `source.fixAll` and
 * `source.fixAll.k8sImageLint` too, but not `sourceFoo` (typescript-language-server `src/utils/types.ts`).
 */
export function kindContains(parent: string, kind: string): boolean {
  return parent === '' || kind === parent || kind.startsWith(parent + '.');
}

/** Whether a request's `context.only` (absent: everything) admits actions of `kind`. */
export function kindRequested(only: readonly string[] | undefined, kind: string): boolean {
  return !only || only.some((o) => kindContains(o, kind));
}
