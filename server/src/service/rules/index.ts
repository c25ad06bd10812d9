import { helmNumericTag } from './helmNumericTag';
import type { Rule } from './rule';
import { yamlSyntax } from './yamlSyntax';
import { missingImage } from './missingImage';
import { invalidImageReference } from './invalidImageReference';
import { imagePlaceholder } from './imagePlaceholder';
import { latestTag } from './latestTag';
import { missingTag } from './missingTag';
import { mutableTag } from './mutableTag';
import { tagAndDigest } from './tagAndDigest';
import { registryNotAllowed } from './registryNotAllowed';
import { invalidPullPolicy } from './invalidPullPolicy';
import { staleImageRisk } from './staleImageRisk';
import { implicitPullPolicy } from './implicitPullPolicy';
import { misplacedImagePullPolicy } from './misplacedImagePullPolicy';
import { misplacedImagePullSecrets } from './misplacedImagePullSecrets';
import { malformedImagePullSecrets } from './malformedImagePullSecrets';
import { ephemeralContainersInManifest } from './ephemeralContainersInManifest';
import { pullSecretNotFound } from './pullSecretNotFound';
import { pullSecretWrongType } from './pullSecretWrongType';
import { pullSecretNamespaceMismatch } from './pullSecretNamespaceMismatch';
import { pullSecretRegistryMismatch } from './pullSecretRegistryMismatch';
import { privateImageWithoutPullSecret } from './privateImageWithoutPullSecret';
import { imageNotFound } from './imageNotFound';
import { deprecatedRegistry } from './deprecatedRegistry';
import { missingDigest } from './missingDigest';
import { dockerHubImplied } from './dockerHubImplied';
import { imagePlatformMismatch } from './imagePlatformMismatch';
import { digestTagMismatch } from './digestTagMismatch';

/** The rule registry: every rule the engine runs, in reporting order. */
export const RULES: readonly Rule[] = [
  yamlSyntax,
  missingImage,
  invalidImageReference,
  imagePlaceholder,
  latestTag,
  missingTag,
  mutableTag,
  tagAndDigest,
  registryNotAllowed,
  invalidPullPolicy,
  staleImageRisk,
  implicitPullPolicy,
  misplacedImagePullPolicy,
  misplacedImagePullSecrets,
  malformedImagePullSecrets,
  ephemeralContainersInManifest,
  pullSecretNotFound,
  pullSecretWrongType,
  pullSecretNamespaceMismatch,
  pullSecretRegistryMismatch,
  privateImageWithoutPullSecret,
  imageNotFound,
  helmNumericTag,
  imagePlatformMismatch,
  digestTagMismatch,
  deprecatedRegistry,
  missingDigest,
  dockerHubImplied,
];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.id, r]));

/** Where each rule's documentation page lives (the diagnostic's `codeDescription.href`). */
export const DOCS_BASE = 'https://github.com/k8s-image-lint/k8s-image-lint/blob/main/docs/rules/';
export function ruleDocUrl(ruleId: string): string {
  return `${DOCS_BASE}${ruleId}.md`;
}
