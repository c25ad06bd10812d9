/**
 * Property-based tests over generated manifests (manifests.ts): every property of check.ts on each generated
 * file, with and without a workspace index; non-Kubernetes YAML stays silent; a single image value in every
 * style and place never breaks the service. Bounded in `npm test`; `npm run fuzz` runs them long.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { defaultSettings, fromRaw, type Settings } from '../../server/src/service/index';
import { analyzeInput, checkService } from './check';
import { holds, params, seedNote } from './config';
import { imageString } from './images';
import { imageValue, manifestFile, notKubernetes, policyValue, workload } from './manifests';
import { fraction } from './mutations';
import { emitDocument, m, q, s, type YNode } from './yamlEmit';

const probes = fc.array(fraction, { maxLength: 4 });

/** Settings a user might have: rules at other severities, an allow-list, podSpecPaths, inlay hints off. */
const settings: fc.Arbitrary<Settings> = fc.oneof(
  { weight: 4, arbitrary: fc.constant(defaultSettings()) },
  {
    weight: 1,
    arbitrary: fc.record({
      rules: fc.dictionary(fc.constantFrom('latest-tag', 'implicit-pull-policy', 'missing-tag', 'invalid-pull-policy', 'stale-image-risk', 'yaml-syntax'), fc.constantFrom('error', 'warning', 'info', 'hint', 'off')),
      allowedRegistries: fc.constantFrom([], ['ghcr.io/acme/**'], ['docker.io', '*.gcr.io']),
      podSpecPaths: fc.constantFrom([], ['Rollout:spec.template.spec'], ['spec.runner.spec']),
      mutableTags: fc.constantFrom(undefined, ['main', 'alpine']),
      inlayHints: fc.record({ enabled: fc.boolean() }),
      maxFileSizeKb: fc.constantFrom(5120, 1),
    }).map((raw) => fromRaw(raw)),
  },
);

/** One document as text, in either list-indentation style. */
const asText = (doc: fc.Arbitrary<YNode>) => fc.tuple(doc, fc.constantFrom<0 | 2>(0, 2)).map(([d, seqIndent]) => `${emitDocument(d, { seqIndent }).join('\n')}\n`);
const showText = (text: string) => `${JSON.stringify(text)}\n--- as text ---\n${text}`;

test('generated manifests: the service never throws, answers in time, stays in range, and its fixes are safe', (t) => {
  t.diagnostic(seedNote());
  let findings = 0;
  let files = 0;
  holds(
    fc.property(manifestFile, settings, fc.boolean(), probes, (file, st, workspace, fractions) => {
      const a = checkService({ text: file.text, uri: file.uri, settings: st, workspace }, { fixChecks: 6, probes: fractions, fixAll: true });
      findings += a.findings.length;
      files++;
    }),
    params(90),
    (file, st, workspace, fractions) => `uri ${file.uri}, workspace ${workspace}, settings ${JSON.stringify(fromRaw({}) === st ? 'default' : st)}, probes ${fractions}\n${showText(file.text)}`,
  );
  t.diagnostic(`${files} files, ${findings} findings`);
});

test('generated workloads in one document: every image and policy form, all quick fixes checked', () => {
  holds(
    fc.property(asText(workload), probes, (text, fractions) => {
      checkService({ text }, { fixChecks: 50, probes: fractions, fixAll: true });
    }),
    params(60),
    (text, fractions) => `probes ${fractions}\n${showText(text)}`,
  );
});

test('non-Kubernetes YAML (no apiVersion/kind) gets no findings, whatever its images and policies', () => {
  holds(
    fc.property(asText(notKubernetes), (text) => {
      assert.deepEqual(analyzeInput({ text }).findings.map((f) => f.ruleId), []);
    }),
    params(100, 0.2),
    (text) => showText(text),
  );
});

/** A Pod with one container whose image (and maybe policy) is drawn; the container block or flow. */
const oneContainer = fc.tuple(imageValue, fc.option(policyValue, { nil: undefined }), fc.boolean()).map(([image, policy, flow]) => {
  const container = m([['name', s('c')], ['image', image], ...(policy ? [['imagePullPolicy', policy] as [string, YNode]] : [])], flow);
  return `${emitDocument(m([['apiVersion', s('v1')], ['kind', s('Pod')], ['metadata', m([['name', s('p')]])], ['spec', m([['containers', q([container])]])]]), { seqIndent: 0 }).join('\n')}\n`;
});

test('one container, image and policy in every scalar style and place: all properties, all fixes', () => {
  holds(
    fc.property(oneContainer, (text) => {
      checkService({ text }, { fixChecks: 10, fixAll: true });
    }),
    params(300, 0.5),
    (text) => showText(text),
  );
});

test('image strings alone: an invalid reference is always reported', () => {
  holds(
    fc.property(imageString, (image) => {
      const text = `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: ${JSON.stringify(image)}\n`;
      const a = checkService({ text }, { fixChecks: 10, fixAll: true });
      const fact = a.images[0];
      assert.ok(fact, 'the image site is found');
      // An empty image is missing-image's; any other that Kubernetes cannot parse is invalid-image-reference's.
      if (image === '') assert.ok(a.findings.some((f) => f.ruleId === 'missing-image'), 'an empty image: no missing-image');
      else if (fact.reference && !fact.reference.valid) {
        assert.ok(a.findings.some((f) => f.ruleId === 'invalid-image-reference' && f.range.start === fact.range!.start), `${JSON.stringify(image)}: no invalid-image-reference on it`);
      }
    }),
    params(400, 0.5),
    (image) => JSON.stringify(image),
  );
});
