/**
 * Placeholders: image values that a build tool, a templating step or an admission webhook replaces before anything
 * reaches a node — `gcr.io/PROJECT_ID/app`, `<your-image>`, `${IMAGE}`, `$(IMAGE)`, `ko://github.com/x/cmd`, Istio's
 * `image: auto` (its injector writes the proxy image), `REGION-docker.pkg.dev/…`. They are never judged as
 * references and never rewritten: "fixing" `PROJECT_ID` into `project_id` makes a valid-looking image nobody meant.
 */

/** Words that stand for a value to fill in when written in capitals as a whole part of an image. */
const PLACEHOLDER_WORDS = new Set([
  'IMAGE', 'IMG', 'REGISTRY', 'REGION', 'LOCATION', 'ZONE', 'PROJECT', 'PROJECT_ID', 'ACCOUNT', 'ACCOUNT_ID', 'ORG',
  'OWNER', 'USER', 'USERNAME', 'REPO', 'REPOSITORY', 'NAMESPACE', 'HOST', 'DOMAIN', 'TAG', 'VERSION', 'DIGEST', 'SHA',
  'NAME', 'APP', 'SERVICE', 'ENV', 'CLUSTER', 'PORT', 'ID',
]);

/** `${VAR}`, `$(VAR)`, `$VAR`, `{VAR}`, `<your-image>`, `%VAR%`. */
const SUBSTITUTION = /\$\{[^}]*\}?|\$\([^)]*\)?|\$[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_.-]*\}|<[^<>]*>|%[A-Za-z_][A-Za-z0-9_]*%/;
/** `ko://…` and other scheme-prefixed values: a builder's import path, not a reference. */
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//;
/** A capitalised identifier with an underscore (`PROJECT_ID`, `MY_IMAGE`). */
const SHOUTED = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;

/** True for a value that a build or deploy step substitutes (`${IMAGE_PULL_POLICY:-Always}`, `PULL_POLICY`). */
export function isSubstituted(value: string): boolean {
  return SUBSTITUTION.test(value) || SHOUTED.test(value.trim());
}

/**
 * The placeholder in an image value (the part to show), or null when the value is meant as a reference. Plain
 * uppercase words other than the ones above (`NGINX:1.2`) are mistakes, judged by invalid-image-reference.
 *
 * @example placeholderOf('gcr.io/PROJECT_ID/app:1') === 'PROJECT_ID'
 * @example placeholderOf('NGINX:1.2') === null
 */
export function placeholderOf(image: string): string | null {
  const value = image.trim();
  if (value === 'auto') return 'auto';
  const scheme = SCHEME.exec(value);
  if (scheme) return scheme[0];
  const sub = SUBSTITUTION.exec(value);
  if (sub) return sub[0];
  for (const part of value.split(/[/:@.-]/)) {
    if (SHOUTED.test(part) || PLACEHOLDER_WORDS.has(part)) return part;
  }
  return null;
}
