/**
 * The pure registry side of the service, with an in-memory RegistryClient (no network): pin edits keep quoting
 * and comments, pin-all resolves each reference once, tag completion finds its place in half-typed lines,
 * image-not-found reads only what the client knows and only in `auto`, and the hover's digest line.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/service/analyze';
import { hover } from '../../server/src/service/hover';
import { digestPinEdit, pinAllDigests, pinSiteAt, pinSites, tagPinEdit } from '../../server/src/service/registry/pins';
import { tagCompletionItems, tagCompletionPlace } from '../../server/src/service/registry/tagCompletion';
import type { ManifestRef, RegistryClient, RegistryResult, ResolvedManifest } from '../../server/src/service/registry/types';
import { applyEdits, markers, settingsWith, yaml } from '../helpers';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const OTHER = `sha256:${'b'.repeat(64)}`;

/** A client answering from a table (`domain/path:reference` → digest or null for "not found"), counting lookups. */
function fakeRegistry(table: Record<string, string | null>, fetchedAt = 1_000_000): RegistryClient & { asked: string[] } {
  const key = (r: ManifestRef) => `${r.domain}/${r.path}:${r.reference}`;
  const answer = (ref: ManifestRef): RegistryResult<ResolvedManifest> | undefined => {
    const v = table[key(ref)];
    if (v === undefined) return undefined;
    return v === null
      ? { ok: false, error: { kind: 'not-found', message: `${ref.domain}/${ref.path} has no tag ${ref.reference}.` } }
      : { ok: true, value: { digest: v, mediaType: 'application/vnd.oci.image.index.v1+json', multiArch: true }, fetchedAt };
  };
  const asked: string[] = [];
  return {
    asked,
    resolveDigest: async (ref) => {
      asked.push(key(ref));
      return answer(ref) ?? { ok: false, error: { kind: 'offline', message: 'offline' } };
    },
    listTags: async () => ({ ok: true, value: ['1.0', '1.1', 'latest'], fetchedAt }),
    exists: async () => ({ ok: true, value: true, fetchedAt }),
    cachedDigest: (ref) => answer(ref),
    describe: async () => ({ ok: false, error: { kind: 'offline', message: 'offline' } }),
    cachedDescription: () => undefined,
  };
}

const podWith = (imageLine: string) => yaml('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', 'spec:', '  containers:', '  - name: a', `    ${imageLine}`);

describe('pin edits', () => {
  const cases: [string, string, string][] = [
    ['image: nginx:1.27', `image: nginx:1.27@${DIGEST}`, 'image: nginx:1.28'],
    ['image: "nginx:1.27"  # web', `image: "nginx:1.27@${DIGEST}"  # web`, 'image: "nginx:1.28"  # web'],
    ["image: 'ghcr.io/a/b'", `image: 'ghcr.io/a/b@${DIGEST}'`, "image: 'ghcr.io/a/b:1.28'"],
    ['image: localhost:5000/app', `image: localhost:5000/app@${DIGEST}`, 'image: localhost:5000/app:1.28'],
  ];
  for (const [line, pinned, retagged] of cases) {
    it(`${line} → ${pinned} / ${retagged}`, () => {
      const text = podWith(line);
      const a = analyze(text, settingsWith());
      const site = pinSiteAt(pinSites(a), { start: text.indexOf('image:') + 8, end: text.indexOf('image:') + 8 })!;
      assert.equal(applyEdits(text, [digestPinEdit(site, DIGEST)!]), podWith(pinned));
      assert.equal(applyEdits(text, [tagPinEdit(site, '1.28')!]), podWith(retagged));
    });
  }

  it('an image with a digest is already pinned; retagging drops the stale digest', () => {
    const text = podWith(`image: nginx:1.27@${OTHER}`);
    const a = analyze(text, settingsWith());
    const site = pinSiteAt(pinSites(a), { start: text.indexOf('nginx'), end: text.indexOf('nginx') })!;
    assert.equal(digestPinEdit(site, DIGEST), null);
    assert.equal(applyEdits(text, [tagPinEdit(site, '1.28')!]), podWith('image: nginx:1.28'));
  });
});

describe('pin all', () => {
  it('resolves each distinct tag once, skips pinned and templated images, reports failures', async () => {
    const text = yaml(
      'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', 'spec:', '  containers:',
      '  - name: a', '    image: nginx:1.27', '  - name: b', '    image: nginx:1.27', '  - name: c', `    image: redis@${OTHER}`,
      '  - name: d', '    image: ghcr.io/x/gone:2', '  - name: e', '    image: "{{ .Values.image }}"', '  - name: f', '    image: nginx',
    );
    const registry = fakeRegistry({ 'docker.io/library/nginx:1.27': DIGEST, 'docker.io/library/nginx:latest': OTHER, 'ghcr.io/x/gone:2': null });
    const progress: string[] = [];
    const r = await pinAllDigests(pinSites(analyze(text, settingsWith())), registry, (done, total) => progress.push(`${done}/${total}`));
    assert.deepEqual(registry.asked.sort(), ['docker.io/library/nginx:1.27', 'docker.io/library/nginx:latest', 'ghcr.io/x/gone:2']);
    assert.equal(r.pinned, 3);
    assert.equal(r.alreadyPinned, 1);
    assert.deepEqual(r.failures, [{ image: 'ghcr.io/x/gone:2', message: 'ghcr.io/x/gone has no tag 2.' }]);
    assert.deepEqual(progress, ['1/3', '2/3', '3/3']);
    const pinned = applyEdits(text, r.edits);
    assert.equal(pinned.match(new RegExp(`nginx:1\\.27@${DIGEST}`, 'g'))?.length, 2);
    assert.match(pinned, new RegExp(`image: nginx@${OTHER}\\n`));
  });
});

describe('tag completion place', () => {
  const settings = settingsWith();
  const cases: [string, { name: string; typed: string; domain: string; path: string } | null][] = [
    ['    image: nginx:|', { name: 'nginx', typed: '', domain: 'docker.io', path: 'library/nginx' }],
    ['    image: nginx:1.2|', { name: 'nginx', typed: '1.2', domain: 'docker.io', path: 'library/nginx' }],
    ['  - image: "ghcr.io/acme/api:v|"', { name: 'ghcr.io/acme/api', typed: 'v', domain: 'ghcr.io', path: 'acme/api' }],
    ['    image: localhost:5000/app:|', { name: 'localhost:5000/app', typed: '', domain: 'localhost:5000', path: 'app' }],
    ['    image: localhost:|', null],
    ['    image: nginx|', null],
    ['    name: nginx:|', null],
    ['    image: NGINX:|', null],
    ['    # image: nginx:|', null],
  ];
  for (const [line, want] of cases) {
    it(JSON.stringify(line), () => {
      const { text, cursors } = markers(yaml('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', 'spec:', '  containers:', '  - name: a', line));
      const place = tagCompletionPlace(analyze(text, settings), cursors[0]);
      assert.deepEqual(place && { name: place.name, typed: place.typed, domain: place.repository.domain, path: place.repository.path }, want);
      if (place) assert.equal(text.slice(place.range.start, place.range.end), want!.typed);
    });
  }

  it('not outside Kubernetes objects (a compose file)', () => {
    const { text, cursors } = markers(yaml('services:', '  web:', '    image: nginx:|'));
    assert.equal(tagCompletionPlace(analyze(text, settings), cursors[0]), null);
  });

  it('items: versions newest first, the best pin preselected', () => {
    const place = { repository: { domain: 'docker.io', path: 'library/nginx' }, name: 'nginx', typed: '', range: { start: 0, end: 0 } };
    const items = tagCompletionItems(place, ['latest', '1.9', '1.10-alpine', '1.10', 'alpine']);
    assert.deepEqual(items.map((i) => `${i.label}${i.preselect ? '*' : ''}`), ['1.10*', '1.10-alpine', '1.9', 'alpine', 'latest']);
  });

  it('items: only strings of the tag grammar, whatever the registry sent', () => {
    const place = { repository: { domain: 'docker.io', path: 'library/nginx' }, name: 'nginx', typed: '', range: { start: 0, end: 0 } };
    const items = tagCompletionItems(place, ['1.0', '1.1\nimagePullPolicy: Never', '.hidden', `${'a'.repeat(129)}`, 'v2_b']);
    assert.deepEqual(items.map((i) => i.label).sort(), ['1.0', 'v2_b']);
  });
});

describe('image-not-found and the hover', () => {
  const text = podWith('image: ghcr.io/x/gone:2');
  const registry = fakeRegistry({ 'ghcr.io/x/gone:2': null, 'docker.io/library/nginx:1.27': DIGEST });

  it('only in auto, only from what the client already knows', () => {
    const found = (lookups: string, reg?: RegistryClient) => analyze(text, settingsWith({ registry: { lookups } }), { registry: reg }).findings.filter((f) => f.ruleId === 'image-not-found').map((f) => f.message);
    assert.deepEqual(found('auto', registry), ['The registry has no tag "2"; pulls fail with ErrImagePull']);
    assert.equal(analyze(text, settingsWith({ registry: { lookups: 'auto' } }), { registry }).findings.find((f) => f.ruleId === 'image-not-found')?.detail,
      'ghcr.io/x/gone has no tag 2. The kubelet would fail with ErrImagePull.');
    assert.deepEqual(found('manual', registry), []);
    assert.deepEqual(found('auto'), []);
    assert.deepEqual(found('auto', fakeRegistry({})), [], 'nothing known: nothing said');
    assert.deepEqual(registry.asked, [], 'analysis never asks the registry');
  });

  it('the hover shows the cached digest with its age, and a moved tag', () => {
    const at = (t: string, now: number) => {
      const a = analyze(t, settingsWith(), { registry });
      return hover(a, t.indexOf('nginx') + 1, now)!.markdown;
    };
    assert.ok(at(podWith('image: nginx:1.27'), 1_000_000 + 180_000).includes(`**\`1.27\` resolves to:** \`${DIGEST}\` (multi-arch index, looked up 3 min ago)`));
    assert.ok(at(podWith(`image: nginx:1.27@${OTHER}`), 1_000_000).includes('the tag has moved since it was pinned'));
    assert.ok(!at(podWith(`image: nginx@${OTHER}`), 1_000_000).includes('resolves to'));
  });
});
