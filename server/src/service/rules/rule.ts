import type { ManifestFile, K8sObject } from '../parse/manifests';
import type { PodSpecSite } from '../parse/podSpecs';
import type { ImageFact } from '../facts';
import type { Settings } from '../settings';
import type { Lines } from '../text/lines';
import type { Fix, OffsetRange, Severity, SeveritySetting } from '../types';
import type { RegistryClient } from '../registry/types';
import type { KustomizeImageSite } from '../workspace/kustomize';
import type { WorkspaceView } from '../workspace/view';

/**
 * What every check can see: the parsed file, its lines, the settings, and the workspace around the document.
 * `workspace` is always there: the whole workspace when the caller passed an index (`complete`), else a view of
 * this document alone, in which a Secret or ServiceAccount defined in the same file still counts as known.
 */
export interface RuleContext {
  file: ManifestFile;
  lines: Lines;
  settings: Settings;
  workspace: WorkspaceView;
  /** The document's URI (or path), null when the caller gave none. */
  uri: string | null;
  /** Every image site of the file (a pod-level check may need the images of its pod). */
  images: readonly ImageFact[];
  /** The registry, when lookups are allowed; rules only read what it already knows (`cachedDigest`). */
  registry?: RegistryClient;
}

/** A rule's raw report; the engine adds id and severity, and applies suppressions. */
export interface Report {
  range: OffsetRange;
  /** One sentence, fact or action first, at most 100 characters besides the values it quotes; no Markdown. */
  message: string;
  /**
   * The why, for the hover (said once there, however many findings share it): Markdown, one or two sentences;
   * user values in it quoted (JSON) or as code spans.
   */
  detail?: string;
  /**
   * The part of `range` that is at fault (the tag of an image for latest-tag), when it is narrower. A rendered
   * chart uses it to report on the values scalar that wrote that part.
   */
  focus?: OffsetRange;
  /**
   * The fault is in what surrounds `range` (a key that is missing beside it), not in its text: a rendered chart
   * reports it in the template, whatever values printed the text.
   */
  structural?: boolean;
  fixes?: Fix[];
  /** A default severity for this report only (e.g. a duplicate entry is a warning of an error rule); a user's setting for the rule still wins. */
  severity?: Severity;
}

/**
 * A rule is data plus up to five checks, one per scope it looks at. The engine calls each check once per
 * file / object / pod spec / image site / kustomization image entry. Keep a rule to one file under `rules/`, registered in `rules/index.ts`.
 */
export interface Rule {
  id: string;
  /** 'off' for a rule a team turns on (missing-digest). */
  defaultSeverity: SeveritySetting;
  /**
   * The rule's object, pod spec and image checks read more than their own YAML document: the workspace (Secrets,
   * ServiceAccounts, other documents of the file). Their findings are kept with their document's chunk while the
   * workspace index's generation and what this file itself defines are unchanged; the checks of other rules are
   * kept while the chunk's text is.
   */
  crossDocument?: boolean;
  /** The checks read the registry client's answers, which arrive between analyses: they run on every analysis. */
  usesRegistry?: boolean;
  /** One line for docs, settings descriptions and the README table. */
  description: string;
  checkFile?(ctx: RuleContext): Report[];
  checkObject?(object: K8sObject, ctx: RuleContext): Report[];
  checkPodSpec?(pod: PodSpecSite, ctx: RuleContext): Report[];
  checkImage?(image: ImageFact, ctx: RuleContext): Report[];
  /** Called for each `images:` entry of a kustomization (`kustomization.yaml`, or a Kustomization/Component document). */
  checkKustomizeImage?(entry: KustomizeImageSite, ctx: RuleContext): Report[];
}
