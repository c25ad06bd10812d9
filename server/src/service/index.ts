/**
 * The pure language service: text in, facts, findings, hovers and edits out. No LSP transport, no fs, no
 * network. Front ends (server.ts, cli.ts) import from here only.
 */
export { analyze, severityOf, FILE_TOO_LARGE, type Analysis, type AnalyzeContext } from './analyze';
export { defaultSettings, fromRaw, type Settings } from './settings';
export { DOCS_BASE, RULES, RULES_BY_ID, ruleDocUrl } from './rules/index';
export { quickFixes, fixAllEdits, fixAllText, fixAllAsEdits, FIX_ALL_KIND, FIX_ALL_TITLE, type CodeActionResult } from './codeActions';
export { hover, type HoverOptions, type HoverResult } from './hover';
export { inlayHints, type InlayHintResult } from './inlayHints';
export { completions, type CompletionResult } from './completion';
export { definition, type DefinitionResult } from './definition';
export { WorkspaceIndex, changedDeps, KUSTOMIZE_DEP } from './workspace/index';
export { WorkspaceView } from './workspace/view';
export { docKey, isKustomizationName, KUSTOMIZATION_NAMES, resolvePath, dirOf, baseName } from './workspace/uris';
export { applyKustomizeImage } from './workspace/kustomize';
export type { FileEntry, SourceLocation, KustomizeRewrite, ResolvedSecret } from './workspace/types';
export { applyEdits } from './edit/applyEdits';
export { DocumentCache } from './parse/documentCache';
export { podSpecPathProblems } from './parse/podSpecs';
export { isExcluded, excludeProblems } from './exclude';
export type { Finding, Fix, OffsetRange, Severity, SeveritySetting, TextEdit, PullPolicy } from './types';
export type { ManifestDescription, Platform, RegistryClient, RegistryError, RegistryResult, ManifestRef, RepositoryRef, ResolvedManifest } from './registry/types';
export {
  pinSites, pinSiteAt, pinSiteStartingAt, canPinDigest, digestPinEdit, tagPinEdit, resolveDigestPin, tagChoices, pinAllDigests,
  type PinChoice, type PinSite, type PinAllResult,
} from './registry/pins';
export { valuesPinSites, valuesTagCompletionPlace } from './helm/valuesPins';
export { BUILT_IN_MOVES, movedImage, type MovedImage, type RegistryMove } from './registry/moves';
export { podPlatforms, offered, platformText, type PlatformNeed } from './registry/platforms';
export { pulledManifest, taggedManifest, repositoryOf, shortDigest } from './registry/refs';
export { tagCompletionPlace, tagCompletionItems, type TagCompletionPlace } from './registry/tagCompletion';
export { pinCandidates } from './registry/tagOrder';
export { analyzeChart, chartMeta, HELM_NUMERIC_TAG, type ChartInput, type ChartResult } from './helm/chart';
export { chartImageHover, chartInlayHints, valuesDefinition, valuesHover, type ChartImage } from './helm/chartHover';
export { Lines } from './text/lines';
export { readValuesAt, type GoMap } from './helm/values';
