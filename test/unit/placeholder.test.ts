import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText, yaml } from '../helpers';
import { placeholderOf } from '../../server/src/service/image/placeholder';

const pod = (image: string, ...more: string[]) => yaml('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', 'spec:', '  containers:', '  - name: a', `    image: ${JSON.stringify(image)}`, ...more);

describe('image-placeholder', () => {
  const PLACEHOLDERS: [string, string][] = [
    ['gcr.io/PROJECT_ID/app:1.0', 'PROJECT_ID'],
    ['us-docker.pkg.dev/PROJECT/repo/app', 'PROJECT'],
    ['REGION-docker.pkg.dev/p/r/app:1', 'REGION'],
    ['<your-image>', '<your-image>'],
    ['${IMAGE}', '${IMAGE}'],
    ['registry/app:${TAG}', '${TAG}'],
    ['$(IMG)', '$(IMG)'],
    ['$IMAGE', '$IMAGE'],
    ['{IMAGE}', '{IMAGE}'],
    ['ko://github.com/knative/serving/cmd/queue', 'ko://'],
    ['auto', 'auto'],
    ['IMAGE_URL', 'IMAGE_URL'],
    ['example.com/app:TAG', 'TAG'],
  ];
  for (const [image, placeholder] of PLACEHOLDERS) {
    it(`${image}: reported once, as information, never judged or rewritten`, () => {
      assert.equal(placeholderOf(image), placeholder);
      const a = analyzeText(pod(image));
      assert.deepEqual(a.findings.map((f) => [f.ruleId, f.severity, f.message, f.fixes.length]), [
        ['image-placeholder', 'info', `Placeholder ${JSON.stringify(placeholder)}: replaced at build or admission time`, 0],
      ]);
      assert.equal(a.images[0].reference, null);
    });
  }
  for (const image of ['NGINX:1.2', 'ghcr.io/Acme/app:1.2', 'nginx:V1', 'nginx', 'registry.example.com/my_app:1']) {
    it(`${image} is meant as a reference`, () => {
      assert.equal(placeholderOf(image), null);
      assert.ok(!analyzeText(pod(image)).findings.some((f) => f.ruleId === 'image-placeholder'));
    });
  }
  it('the lowercase fix applies where the result is what the author meant', () => {
    const f = analyzeText(pod('ghcr.io/Acme/app:1.2')).findings.find((x) => x.ruleId === 'invalid-image-reference')!;
    assert.equal(f.fixes[0].edits[0].newText, 'ghcr.io/acme/app:1.2');
  });
  it('a substituted pull policy is not judged', () => {
    const a = analyzeText(pod('nginx:1.27', '    imagePullPolicy: ${IMAGE_PULL_POLICY:-Always}'));
    assert.deepEqual(a.findings.filter((f) => f.ruleId === 'invalid-pull-policy'), []);
  });
});
