/**
 * The server's registry features, kept out of server.ts's handler table: pin to digest (resolved lazily through
 * `codeAction/resolve`, or a command for clients without it), pin to tag (VS Code: its quick pick through a
 * client command; other clients: the top tags as separate actions), "pin all images in this file" with
 * progress, tag completion, the hover's digest, and `auto` mode's background existence checks.
 *
 * When the registry may be contacted at all is decided here, once (`clientFor`): never with
 * `registry.lookups: off`, never in an untrusted workspace; in `manual` only for what the user asked for
 * (picking a pin, asking for code actions explicitly, completing a tag, a command); in `auto` also the
 * background checks and hovers.
 */
import {
  CodeActionKind, CodeActionTriggerKind, MessageType,
  type CodeAction, type CompletionItem, type Connection, type Diagnostic, type WorkDoneProgressReporter,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { OciRegistry } from '../node/registry/client';
import {
  canPinDigest, movedImage, pinAllDigests, pinSiteAt, pinSites, pinSiteStartingAt, podPlatforms, pulledManifest, resolveDigestPin, tagChoices,
  tagCompletionItems, tagCompletionPlace, taggedManifest, tagPinEdit,
  type Analysis, type Finding, type PinChoice, type PinSite, type RegistryClient, type Settings, type TagCompletionPlace, type TextEdit,
} from '../service/index';
import type { ClientFeatures } from './clientFeatures';
import { toCompletionItem, toDiagnostic, toWorkspaceEdit } from './convert';

export const PIN_DIGEST_COMMAND = 'k8sImageLint.server.pinDigest';
export const PIN_TAG_COMMAND = 'k8sImageLint.server.pinTag';
export const PIN_ALL_COMMAND = 'k8sImageLint.server.pinAllDigests';
export const SERVER_COMMANDS = [PIN_DIGEST_COMMAND, PIN_TAG_COMMAND, PIN_ALL_COMMAND];
/** The VS Code client's quick pick of tags; a client announces it in `initializationOptions.clientCommands`. */
export const PICK_TAG_CLIENT_COMMAND = 'k8sImageLint.pickTag';
/** Request from the VS Code client: the tags to offer for the image at an offset. */
export const TAG_CHOICES_METHOD = 'k8sImageLint/tagChoices';
/** Notification from the VS Code client when the user trusts the workspace. */
export const TRUST_GRANTED_NOTIFICATION = 'k8sImageLint/workspaceTrusted';
/** The source action that pins every image of the file. */
export const PIN_ALL_KIND = 'source.pinDigests.k8sImageLint';
export const PIN_ALL_TITLE = 'Pin all images in this file to digests';

/** Tags offered as separate actions to clients without the quick pick. */
const TOP_TAGS = 5;
/** How long a hover waits for a lookup (in `auto`) before showing what it has. */
const HOVER_WAIT_MS = 1500;
/** A background lookup that failed (offline, unauthorized) is not tried again for this long. */
const RETRY_FAILED_MS = 60_000;
/** Findings a pin answers (their diagnostics go into the pin actions). */
const PIN_ANSWERS = new Set(['latest-tag', 'missing-tag', 'mutable-tag', 'stale-image-risk', 'image-not-found', 'missing-digest']);

/** Where a deferred action finds its image again: the document version and the image value's start. */
export interface PinTarget {
  uri: string;
  version: number;
  offset: number;
}

interface ActionData {
  /** pinDigest: look the digest up; moveImage: check the moved image exists, then rewrite. */
  k8sImageLint: 'pinDigest' | 'moveImage';
  target: PinTarget;
}

/** The document and analysis the features work on (the server's cache). */
export interface Analysed {
  doc: TextDocument;
  analysis: Analysis;
  settings: Settings;
  /** In a chart's values file: the values images are rendered from. */
  values?: ValuesPins;
}

/** What a chart's values file offers the registry features (lsp/chartAnalyses.ts). */
export interface ValuesPins {
  /** The values scalars rendered images come from, as pin sites. */
  sites(): PinSite[];
  tagPlace(offset: number): TagCompletionPlace | null;
  /** For each pick, the first of its edits after which the chart renders its image with the digest (or null). */
  choose(picks: readonly PinChoice[]): (TextEdit | null)[];
}

export interface RegistryFeaturesHost {
  connection: Connection;
  client(): ClientFeatures;
  analysed(uri: string): Promise<Analysed | null>;
  /** The registry answered something that may change a document's diagnostics. */
  answersArrived(uri: string): void;
  log(message: string): void;
}

export class RegistryFeatures {
  /** False in an untrusted VS Code workspace until the user trusts it. */
  trusted = true;
  /** Client-side commands the client announced (`initializationOptions.clientCommands`). */
  clientCommands = new Set<string>();
  private readonly clients = new WeakMap<Settings, RegistryClient>();
  private readonly pending = new Set<string>();
  private readonly failedAt = new Map<string, number>();

  constructor(private readonly registry: OciRegistry, private readonly host: RegistryFeaturesHost) {}

  /** The registry client for a document's settings; undefined when lookups are off or the workspace is untrusted. */
  clientFor(settings: Settings): RegistryClient | undefined {
    if (!this.trusted || settings.registry.lookups === 'off') return undefined;
    let client = this.clients.get(settings);
    if (!client) this.clients.set(settings, (client = this.registry.client(settings.registry)));
    return client;
  }

  // ── Code actions ─────────────────────────────────────────────────────────────────────────────────────
  /**
   * Pin actions for the image under `range`: "Pin to digest" (no network until picked) and "Pin to tag…"
   * (VS Code: a quick pick; others: the top tags, listed only when the request says the user invoked it).
   */
  async quickFixes(a: Analysed, range: { start: number; end: number }, triggerKind: CodeActionTriggerKind | undefined): Promise<CodeAction[]> {
    const registry = a.analysis.registry;
    const site = pinSiteAt(sitesOf(a), range);
    if (!site) return [];
    if (!registry) {
      // In Restricted Mode the pins are shown, disabled, with the reason: the user learns what trusting would give.
      if (this.trusted || !canPinDigest(site) || !this.host.client().disabledCodeActions) return [];
      const reason = 'Registries are not contacted in Restricted Mode: trust the workspace to pin images.';
      return [
        { title: `Pin ${site.image} to its current digest`, kind: CodeActionKind.QuickFix, disabled: { reason } },
        { title: 'Pin to tag…', kind: CodeActionKind.QuickFix, disabled: { reason } },
      ];
    }
    const diagnostics = answered(a, site);
    const target: PinTarget = { uri: a.doc.uri, version: a.doc.version, offset: site.range.start };
    const actions: CodeAction[] = [];
    if (canPinDigest(site)) {
      const title = `Pin ${site.image} to its current digest`;
      // The preferred answer to an unpinned image: it pins what runs now, whatever the tag does later.
      const action: CodeAction = { title, kind: CodeActionKind.QuickFix, isPreferred: true, ...(diagnostics.length ? { diagnostics } : {}) };
      if (this.host.client().codeActionResolve) action.data = { k8sImageLint: 'pinDigest', target } satisfies ActionData;
      else action.command = { title, command: PIN_DIGEST_COMMAND, arguments: [target] };
      actions.push(action);
    }
    const move = this.moveAction(a, site, target);
    if (move) actions.push(move);
    if (this.clientCommands.has(PICK_TAG_CLIENT_COMMAND)) {
      actions.push({
        title: 'Pin to tag…', kind: CodeActionKind.QuickFix, ...(diagnostics.length ? { diagnostics } : {}),
        command: { title: 'Pin to tag…', command: PICK_TAG_CLIENT_COMMAND, arguments: [target] },
      });
    } else if (triggerKind === CodeActionTriggerKind.Invoked) {
      // Listing tags is a registry request: only when the user explicitly asked for actions.
      const tags = await tagChoices(site, registry);
      if (!tags.ok) this.host.log(`Kubernetes Image Lint: no tags to offer for ${site.image}: ${tags.error.message}`);
      for (const tag of tags.ok ? tags.value.slice(0, TOP_TAGS) : []) {
        const edit = tagPinEdit(site, tag);
        if (edit) actions.push({ title: `Pin to tag ${tag}`, kind: CodeActionKind.QuickFix, ...(diagnostics.length ? { diagnostics } : {}), edit: toWorkspaceEdit(a.doc, [edit], this.host.client().documentChanges) });
      }
    }
    return actions;
  }

  /**
   * "Use <new name>" for a moved registry whose rewrite the analysis does not offer yet (its destination not
   * looked up): resolved lazily, offered only if the registry then says the image is there.
   */
  private moveAction(a: Analysed, site: PinSite, target: PinTarget): CodeAction | null {
    const finding = a.analysis.findings.find((f) => f.ruleId === 'deprecated-registry' && f.fixes.length === 0 && f.range.start <= site.range.end && site.range.start <= f.range.end);
    const moved = finding && movedImage(a.settings, site.reference, site.image);
    if (!moved?.rewritten || !moved.destination || !this.host.client().codeActionResolve || !site.rewrite(moved.rewritten)) return null;
    return { title: `Use ${moved.rewritten}`, kind: CodeActionKind.QuickFix, diagnostics: [toDiagnostic(a.doc, finding!)], data: { k8sImageLint: 'moveImage', target } satisfies ActionData };
  }

  /** The moved image's edit, once its registry says it exists; else why not, said to the user. */
  private async moveEdit(target: PinTarget) {
    const a = await this.current(target);
    const site = a && pinSiteStartingAt(sitesOf(a), target.offset);
    const registry = a?.analysis.registry;
    const moved = a && site && movedImage(a.settings, site.reference, site.image);
    if (!a || !site || !registry || !moved?.rewritten || !moved.destination) return null;
    const r = await registry.exists(pulledManifest({ ...site.reference, domain: moved.destination.domain, path: moved.destination.path }));
    if (!r.ok || !r.value) {
      this.say(MessageType.Warning, `Kubernetes Image Lint: ${moved.rewritten} ${r.ok ? 'does not exist' : `cannot be checked (${r.error.message})`}; the image is left as it is.`);
      return null;
    }
    const edit = site.rewrite(moved.rewritten);
    return edit && toWorkspaceEdit(a.doc, [edit], this.host.client().documentChanges);
  }

  /** The source action "Pin all images in this file to digests", when some image can be pinned. */
  pinAllAction(a: Analysed): CodeAction | null {
    if (!a.analysis.registry || !sitesOf(a).some(canPinDigest)) return null;
    return { title: PIN_ALL_TITLE, kind: PIN_ALL_KIND, command: { title: PIN_ALL_TITLE, command: PIN_ALL_COMMAND, arguments: [{ uri: a.doc.uri }] } };
  }

  /** `codeAction/resolve`: look the digest up now and fill in the edit; on failure, say why and leave it without. */
  async resolve(action: CodeAction): Promise<CodeAction> {
    const data = action.data as ActionData | undefined;
    if (data?.k8sImageLint !== 'pinDigest' && data?.k8sImageLint !== 'moveImage') return action;
    const edit = data.k8sImageLint === 'moveImage' ? await this.moveEdit(data.target) : await this.digestEdit(data.target);
    if (edit) action.edit = edit;
    return action;
  }

  // ── Commands ─────────────────────────────────────────────────────────────────────────────────────────
  async execute(command: string, args: unknown[], progress?: WorkDoneProgressReporter): Promise<unknown> {
    const arg = (args[0] ?? {}) as Partial<PinTarget & { tag: string }>;
    if (typeof arg.uri !== 'string') return null;
    if (command === PIN_DIGEST_COMMAND) {
      const edit = await this.digestEdit(arg as PinTarget);
      if (edit) await this.host.connection.workspace.applyEdit({ label: 'Pin to digest', edit });
      return { applied: !!edit };
    }
    if (command === PIN_TAG_COMMAND) {
      const a = await this.current(arg as PinTarget);
      const site = a && pinSiteStartingAt(sitesOf(a), (arg as PinTarget).offset);
      const edit = a && site && typeof arg.tag === 'string' ? tagPinEdit(site, arg.tag) : null;
      if (!a || !edit) return { applied: false };
      await this.host.connection.workspace.applyEdit({ label: `Pin to tag ${arg.tag}`, edit: toWorkspaceEdit(a.doc, [edit], this.host.client().documentChanges) });
      return { applied: true };
    }
    if (command === PIN_ALL_COMMAND) return this.pinAll(arg.uri, progress);
    return null;
  }

  /** Pins every image of the file, with progress; one edit for all, and a message about what could not be. */
  private async pinAll(uri: string, attached?: WorkDoneProgressReporter): Promise<{ pinned: number; failures: { image: string; message: string }[] }> {
    const a = await this.host.analysed(uri);
    const registry = a?.analysis.registry;
    if (!a || !registry) {
      this.say(MessageType.Warning, a ? lookupsDisabled(a.settings, this.trusted) : 'Kubernetes Image Lint: open a Kubernetes YAML file to pin its images.');
      return { pinned: 0, failures: [] };
    }
    const progress = attached ?? (this.host.client().workDoneProgress ? await this.host.connection.window.createWorkDoneProgress().catch(() => undefined) : undefined);
    progress?.begin(PIN_ALL_TITLE, 0, 'Looking up digests…', false);
    const result = await pinAllDigests(sitesOf(a), registry, (done, total) => progress?.report(Math.round((done / Math.max(total, 1)) * 100), `${done}/${total} images`), a.values && ((picks) => a.values!.choose(picks)));
    progress?.done();
    if (result.edits.length > 0) {
      const doc = a.doc;
      await this.host.connection.workspace.applyEdit({ label: PIN_ALL_TITLE, edit: toWorkspaceEdit(doc, result.edits, this.host.client().documentChanges) });
    }
    const summary = [
      `Pinned ${result.pinned} image${result.pinned === 1 ? '' : 's'} to digests${result.alreadyPinned ? ` (${result.alreadyPinned} already had one)` : ''}.`,
      ...result.failures.slice(0, 5).map((f) => `${f.image}: ${f.message}`),
      ...(result.failures.length > 5 ? [`…and ${result.failures.length - 5} more could not be looked up.`] : []),
    ].join(' ');
    this.say(result.failures.length ? MessageType.Warning : MessageType.Info, `Kubernetes Image Lint: ${summary}`);
    return { pinned: result.pinned, failures: result.failures };
  }

  /** The tags to offer in VS Code's quick pick for the image at `target` (request `k8sImageLint/tagChoices`). */
  async tagChoicesAt(target: PinTarget): Promise<{ image: string; current: string | null; tags: string[]; error?: string } | null> {
    const a = await this.current(target);
    const site = a && pinSiteStartingAt(sitesOf(a), target.offset);
    if (!a || !site) return null;
    const registry = a.analysis.registry;
    if (!registry) return { image: site.image, current: site.reference.tag, tags: [], error: lookupsDisabled(a.settings, this.trusted) };
    const r = await tagChoices(site, registry);
    return r.ok ? { image: site.image, current: site.reference.tag, tags: r.value } : { image: site.image, current: site.reference.tag, tags: [], error: r.error.message };
  }

  // ── Completion and hover ─────────────────────────────────────────────────────────────────────────────
  /** Tags after `image: name:`, from the registry (the user is asking: allowed in `manual` too). */
  async completion(a: Analysed, offset: number): Promise<CompletionItem[] | null> {
    const registry = a.analysis.registry;
    const place = registry ? tagCompletionPlace(a.analysis, offset) ?? a.values?.tagPlace(offset) ?? null : null;
    if (!registry || !place) return null;
    const tags = await registry.listTags(place.repository);
    if (!tags.ok) {
      this.host.log(`Kubernetes Image Lint: no tag completion for ${place.name}: ${tags.error.message}`);
      return null;
    }
    return tagCompletionItems(place, tags.value).map((c, i) => toCompletionItem(a.doc, c, i));
  }

  /** In `auto`, look up the hovered image's tag first (a short wait) so the hover can show its digest. */
  async beforeHover(a: Analysed, offset: number): Promise<void> {
    const registry = a.analysis.registry;
    if (!registry || a.settings.registry.lookups !== 'auto') return;
    const site = pinSiteAt(sitesOf(a), { start: offset, end: offset });
    if (!site || (site.reference.digest !== null && site.reference.tag === null)) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      registry.resolveDigest(taggedManifest(site.reference)),
      new Promise<void>((resolve) => { timer = setTimeout(resolve, HOVER_WAIT_MS); }),
    ]);
    clearTimeout(timer);
  }

  // ── auto: background existence checks ────────────────────────────────────────────────────────────────
  /**
   * In `auto`, looks up every image of the document the registry client knows nothing about yet (each once at
   * a time; a failed one not again for a minute). When answers arrive that change what `image-not-found`
   * says, the host re-diagnoses the document.
   */
  checkInBackground(a: Analysed): void {
    const registry = a.analysis.registry;
    if (!registry || a.settings.registry.lookups !== 'auto') return;
    const now = Date.now();
    const rules = a.settings.rules;
    const on = (id: string) => rules[id] !== 'off';
    const reported = a.analysis.findings.some((f) => f.ruleId === 'image-not-found');
    /** Each lookup once at a time (a failed one not again for a minute); `changes` when its answer may change findings. */
    const todo = new Map<string, () => Promise<{ changes: boolean; failed: boolean }>>();
    const want = (key: string, cached: unknown, run: () => Promise<{ changes: boolean; failed: boolean }>) => {
      const k = `${a.doc.uri} ${key}`;
      if (cached !== undefined || this.pending.has(k) || now - (this.failedAt.get(k) ?? -Infinity) < RETRY_FAILED_MS) return;
      todo.set(k, run);
    };
    const absent = (r: { ok: boolean; error?: { kind: string } }) => !r.ok && (r.error?.kind === 'not-found' || r.error?.kind === 'not-found-or-unauthorized');
    const outcome = (r: { ok: boolean; error?: { kind: string } }, changes: boolean) => ({ changes, failed: !r.ok && !absent(r) });
    const describe = (ref: ReturnType<typeof pulledManifest>) => async () => {
      const r = await registry.describe(ref);
      return outcome(r, r.ok);
    };
    for (const site of pinSites(a.analysis)) {
      const pulled = pulledManifest(site.reference);
      // Platforms matter where the pod (or the platforms setting) says where it runs.
      if (on('image-platform-mismatch') && podPlatforms(site.fact.site.pod, a.settings)) {
        want(`describe ${JSON.stringify(pulled)}`, registry.cachedDescription(pulled), describe(pulled));
      } else if (on('image-not-found')) {
        want(JSON.stringify(pulled), registry.cachedDigest(pulled), async () => {
          const r = await registry.resolveDigest(pulled);
          return outcome(r, reported || absent(r));
        });
      }
      if (site.reference.tag !== null && site.reference.digest !== null && (on('digest-tag-mismatch') || on('image-platform-mismatch'))) {
        const tagged = taggedManifest(site.reference);
        want(`describe ${JSON.stringify(tagged)}`, registry.cachedDescription(tagged), describe(tagged));
        want(`describe ${JSON.stringify(pulled)}`, registry.cachedDescription(pulled), describe(pulled));
      }
      // A moved image: its rewrite is offered once the destination is known to have it.
      const moved = on('deprecated-registry') && site.fact.image !== null ? movedImage(a.settings, site.reference, site.fact.image) : null;
      if (moved?.destination) {
        const dest = pulledManifest({ ...site.reference, domain: moved.destination.domain, path: moved.destination.path });
        want(`move ${JSON.stringify(dest)}`, registry.cachedDigest(dest), async () => {
          const r = await registry.resolveDigest(dest);
          return outcome(r, r.ok || absent(r));
        });
      }
    }
    if (todo.size === 0) return;
    for (const key of todo.keys()) this.pending.add(key);
    void Promise.all([...todo].map(async ([key, run]) => {
      try {
        const r = await run();
        if (r.failed) this.failedAt.set(key, Date.now());
        return r.changes;
      } finally {
        this.pending.delete(key);
      }
    })).then((changes) => {
      if (changes.some(Boolean)) this.host.answersArrived(a.doc.uri);
    }).catch((e) => this.host.log(`Kubernetes Image Lint: background registry check failed: ${String(e)}`));
  }

  // ── helpers ──────────────────────────────────────────────────────────────────────────────────────────
  /** The current analysis when the document still has the version a deferred action was made for. */
  private async current(target: PinTarget): Promise<Analysed | null> {
    const a = await this.host.analysed(target.uri);
    if (!a) return null;
    if (a.doc.version !== target.version) {
      this.say(MessageType.Warning, 'Kubernetes Image Lint: the document changed since this action was offered; ask for it again.');
      return null;
    }
    return a;
  }

  private async digestEdit(target: PinTarget) {
    const a = await this.current(target);
    const site = a && pinSiteStartingAt(sitesOf(a), target.offset);
    if (!a || !site) return null;
    const registry = a.analysis.registry;
    if (!registry) {
      this.say(MessageType.Warning, lookupsDisabled(a.settings, this.trusted));
      return null;
    }
    const r = await resolveDigestPin(site, registry);
    if ('error' in r) {
      this.say(MessageType.Warning, `Kubernetes Image Lint: cannot pin ${site.image}: ${r.error.message}`);
      return null;
    }
    // In a values file, the edit the chart really renders (its `digest:` key may be unused by the templates).
    const edit = a.values ? a.values.choose([{ site, edits: r.edits, digest: r.resolved.digest }])[0] : r.edits[0];
    if (!edit) {
      this.say(MessageType.Warning, `Kubernetes Image Lint: cannot pin ${site.image}: the chart renders no digest written in this file.`);
      return null;
    }
    return toWorkspaceEdit(a.doc, [edit], this.host.client().documentChanges);
  }

  private say(type: MessageType, message: string): void {
    try {
      void this.host.connection.sendNotification('window/showMessage', { type, message }).catch(() => undefined);
    } catch {
      // The connection is gone: nobody is left to tell.
    }
  }
}

/** The images a document's pins can rewrite: its own, and in a chart's values file the values images come from. */
function sitesOf(a: Analysed): PinSite[] {
  const own = pinSites(a.analysis);
  return a.values ? [...own, ...a.values.sites()] : own;
}

/** The diagnostics of findings on the site that a pin answers. */
function answered(a: Analysed, site: PinSite): Diagnostic[] {
  return a.analysis.findings
    .filter((f: Finding) => PIN_ANSWERS.has(f.ruleId) && f.range.start <= site.range.end && site.range.start <= f.range.end)
    .map((f) => toDiagnostic(a.doc, f));
}

function lookupsDisabled(settings: Settings, trusted: boolean): string {
  if (!trusted) return 'Kubernetes Image Lint: registries are not contacted in an untrusted workspace. Trust the workspace to pin images.';
  if (settings.registry.lookups === 'off') return 'Kubernetes Image Lint: registry lookups are off (k8sImageLint.registry.lookups). Set it to "manual" to pin images.';
  return 'Kubernetes Image Lint: the registry cannot be contacted for this document.';
}

