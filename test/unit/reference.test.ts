// Unit tests for the image reference parser. Most tables are ported case by case from the upstream Go tests
// (github.com/distribution/reference, github.com/opencontainers/go-digest, kubernetes/kubernetes); the source
// file is named above each table. Expected error texts are the exact Go ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseImageReference,
  parseRawName,
  parseRawReference,
  referenceRegexps,
  splitReference,
  suggestReferenceFix,
  validateDigest,
  type ImageReference,
} from '../../server/src/service/image/reference';

const E = {
  format: 'invalid reference format',
  upper: 'repository name must be lowercase',
  empty: 'repository name must have at least one component',
  tooLong: 'repository name must not be more than 255 characters',
  digestFormat: 'invalid checksum digest format',
  digestLength: 'invalid checksum digest length',
  digestUnsupported: 'unsupported digest algorithm',
};
const lowercaseErr = (repo: string): string => `invalid reference format: repository name (${repo}) must be lowercase`;
const hexErr = (s: string): string => `invalid repository name (${s}), cannot specify 64-byte hexadecimal strings`;
const f64 = 'f'.repeat(64);

function ok(image: string): ImageReference {
  const r = parseImageReference(image);
  if (!r.valid) assert.fail(`expected ${JSON.stringify(image)} to parse, got: ${r.error}`);
  return r.ref;
}
function err(image: string): string {
  const r = parseImageReference(image);
  if (r.valid) assert.fail(`expected ${JSON.stringify(image)} to be invalid, got ${r.ref.name}`);
  return r.error;
}
/** The normalized String() of upstream: name[:tag][@digest]. */
const canonical = (r: ImageReference): string => r.name + (r.tag !== null ? `:${r.tag}` : '') + (r.digest !== null ? `@${r.digest}` : '');

// ---------------------------------------------------------------------------------------------------------
// distribution/reference reference_test.go, TestReferenceParse (47 cases, version with the path-only length
// check). Upstream runs them through Parse (no normalization): `repository` is Name(), `domain` is Domain().
// `norm`/`normErr` add what ParseNormalizedNamed (our public API) does with the same input.
interface ParseCase {
  input: string;
  err?: string;
  repository?: string;
  domain?: string;
  tag?: string;
  digest?: string;
  norm?: string;
  normErr?: string;
}
const referenceParseCases: ParseCase[] = [
  { input: 'test_com', repository: 'test_com', norm: 'docker.io/library/test_com' },
  { input: 'test.com:tag', repository: 'test.com', tag: 'tag', norm: 'docker.io/library/test.com' },
  { input: 'test.com:5000', repository: 'test.com', tag: '5000', norm: 'docker.io/library/test.com' },
  { input: 'test.com/repo:tag', domain: 'test.com', repository: 'test.com/repo', tag: 'tag', norm: 'test.com/repo' },
  { input: 'test:5000/repo', domain: 'test:5000', repository: 'test:5000/repo', norm: 'test:5000/repo' },
  { input: 'test:5000/repo:tag', domain: 'test:5000', repository: 'test:5000/repo', tag: 'tag', norm: 'test:5000/repo' },
  { input: `test:5000/repo@sha256:${f64}`, domain: 'test:5000', repository: 'test:5000/repo', digest: `sha256:${f64}`, norm: 'test:5000/repo' },
  { input: `test:5000/repo:tag@sha256:${f64}`, domain: 'test:5000', repository: 'test:5000/repo', tag: 'tag', digest: `sha256:${f64}`, norm: 'test:5000/repo' },
  { input: 'test:5000/repo', domain: 'test:5000', repository: 'test:5000/repo', norm: 'test:5000/repo' },
  { input: '', err: E.empty, normErr: E.format },
  { input: ':justtag', err: E.format, normErr: E.format },
  { input: `@sha256:${f64}`, err: E.format, normErr: E.format },
  { input: `repo@sha256:${'f'.repeat(34)}`, err: E.digestLength, normErr: E.digestLength },
  { input: `validname@invaliddigest:${f64}`, err: E.digestUnsupported, normErr: E.digestUnsupported },
  { input: 'Uppercase:tag', err: E.upper, normErr: lowercaseErr('library/Uppercase') },
  // Upstream comments out "Uppercase/lowercase:tag": "Uppercase" is taken as a domain name and passes.
  { input: 'test:5000/Uppercase/lowercase:tag', err: E.upper, normErr: lowercaseErr('Uppercase/lowercase') },
  { input: 'lowercase:Uppercase', repository: 'lowercase', tag: 'Uppercase', norm: 'docker.io/library/lowercase' },
  { input: `domain/${'a'.repeat(256)}:tag`, err: E.tooLong, normErr: E.tooLong },
  {
    input: `${'a/'.repeat(127)}a:tag-puts-this-over-max`,
    domain: 'a',
    repository: `${'a/'.repeat(127)}a`,
    tag: 'tag-puts-this-over-max',
    // Normalized, "a" is not a domain: the path is all 255 characters, still within the limit.
    norm: `docker.io/${'a/'.repeat(127)}a`,
  },
  { input: 'aa/asdf$$^/aa', err: E.format, normErr: E.format },
  { input: 'sub-dom1.foo.com/bar/baz/quux', domain: 'sub-dom1.foo.com', repository: 'sub-dom1.foo.com/bar/baz/quux', norm: 'sub-dom1.foo.com/bar/baz/quux' },
  {
    input: 'sub-dom1.foo.com/bar/baz/quux:some-long-tag',
    domain: 'sub-dom1.foo.com',
    repository: 'sub-dom1.foo.com/bar/baz/quux',
    tag: 'some-long-tag',
    norm: 'sub-dom1.foo.com/bar/baz/quux',
  },
  {
    input: 'b.gcr.io/test.example.com/my-app:test.example.com',
    domain: 'b.gcr.io',
    repository: 'b.gcr.io/test.example.com/my-app',
    tag: 'test.example.com',
    norm: 'b.gcr.io/test.example.com/my-app',
  },
  { input: 'xn--n3h.com/myimage:xn--n3h.com', domain: 'xn--n3h.com', repository: 'xn--n3h.com/myimage', tag: 'xn--n3h.com', norm: 'xn--n3h.com/myimage' },
  {
    input: `xn--7o8h.com/myimage:xn--7o8h.com@sha512:${'f'.repeat(128)}`,
    domain: 'xn--7o8h.com',
    repository: 'xn--7o8h.com/myimage',
    tag: 'xn--7o8h.com',
    digest: `sha512:${'f'.repeat(128)}`,
    norm: 'xn--7o8h.com/myimage',
  },
  { input: 'foo_bar.com:8080', repository: 'foo_bar.com', tag: '8080', norm: 'docker.io/library/foo_bar.com' },
  { input: 'foo/foo_bar.com:8080', domain: 'foo', repository: 'foo/foo_bar.com', tag: '8080', norm: 'docker.io/foo/foo_bar.com' },
  { input: '192.168.1.1', repository: '192.168.1.1', norm: 'docker.io/library/192.168.1.1' },
  { input: '192.168.1.1:tag', repository: '192.168.1.1', tag: 'tag', norm: 'docker.io/library/192.168.1.1' },
  { input: '192.168.1.1:5000', repository: '192.168.1.1', tag: '5000', norm: 'docker.io/library/192.168.1.1' },
  { input: '192.168.1.1/repo', domain: '192.168.1.1', repository: '192.168.1.1/repo', norm: '192.168.1.1/repo' },
  { input: '192.168.1.1:5000/repo', domain: '192.168.1.1:5000', repository: '192.168.1.1:5000/repo', norm: '192.168.1.1:5000/repo' },
  { input: '192.168.1.1:5000/repo:5050', domain: '192.168.1.1:5000', repository: '192.168.1.1:5000/repo', tag: '5050', norm: '192.168.1.1:5000/repo' },
  { input: '[2001:db8::1]', err: E.format, normErr: E.format },
  { input: '[2001:db8::1]:5000', err: E.format, normErr: E.format },
  { input: '[2001:db8::1]:tag', err: E.format, normErr: E.format },
  { input: '[2001:db8::1]/repo', domain: '[2001:db8::1]', repository: '[2001:db8::1]/repo', norm: '[2001:db8::1]/repo' },
  { input: '[2001:db8:1:2:3:4:5:6]/repo:tag', domain: '[2001:db8:1:2:3:4:5:6]', repository: '[2001:db8:1:2:3:4:5:6]/repo', tag: 'tag', norm: '[2001:db8:1:2:3:4:5:6]/repo' },
  { input: '[2001:db8::1]:5000/repo', domain: '[2001:db8::1]:5000', repository: '[2001:db8::1]:5000/repo', norm: '[2001:db8::1]:5000/repo' },
  { input: '[2001:db8::1]:5000/repo:tag', domain: '[2001:db8::1]:5000', repository: '[2001:db8::1]:5000/repo', tag: 'tag', norm: '[2001:db8::1]:5000/repo' },
  {
    input: `[2001:db8::1]:5000/repo@sha256:${f64}`,
    domain: '[2001:db8::1]:5000',
    repository: '[2001:db8::1]:5000/repo',
    digest: `sha256:${f64}`,
    norm: '[2001:db8::1]:5000/repo',
  },
  {
    input: `[2001:db8::1]:5000/repo:tag@sha256:${f64}`,
    domain: '[2001:db8::1]:5000',
    repository: '[2001:db8::1]:5000/repo',
    tag: 'tag',
    digest: `sha256:${f64}`,
    norm: '[2001:db8::1]:5000/repo',
  },
  { input: '[2001:db8::]:5000/repo', domain: '[2001:db8::]:5000', repository: '[2001:db8::]:5000/repo', norm: '[2001:db8::]:5000/repo' },
  { input: '[::1]:5000/repo', domain: '[::1]:5000', repository: '[::1]:5000/repo', norm: '[::1]:5000/repo' },
  { input: '[fe80::1%eth0]:5000/repo', err: E.format, normErr: E.format },
  { input: '[fe80::1%@invalidzone]:5000/repo', err: E.format, normErr: E.format },
  {
    input: `example.com/${'a'.repeat(255)}:tag`,
    domain: 'example.com',
    repository: `example.com/${'a'.repeat(255)}`,
    tag: 'tag',
    norm: `example.com/${'a'.repeat(255)}`,
  },
];

test('reference_test.go TestReferenceParse: raw Parse', () => {
  assert.equal(referenceParseCases.length, 47);
  for (const tc of referenceParseCases) {
    const r = parseRawReference(tc.input);
    if (tc.err !== undefined) {
      assert.deepEqual(r, { ok: false, error: tc.err }, tc.input);
      continue;
    }
    if (!r.ok) assert.fail(`${tc.input}: ${r.error}`);
    const v = r.value;
    const name = v.domain === '' ? v.path : `${v.domain}/${v.path}`;
    // Upstream first checks that String() reproduces the input exactly.
    assert.equal(name + (v.tag ? `:${v.tag}` : '') + (v.digest ? `@${v.digest}` : ''), tc.input);
    assert.equal(name, tc.repository, tc.input);
    assert.equal(v.domain, tc.domain ?? '', tc.input);
    assert.equal(v.tag, tc.tag ?? '', tc.input);
    assert.equal(v.digest, tc.digest ?? '', tc.input);
  }
});

test('reference_test.go TestReferenceParse inputs through ParseNormalizedNamed', () => {
  for (const tc of referenceParseCases) {
    if (tc.normErr !== undefined) {
      assert.equal(err(tc.input), tc.normErr, tc.input);
      continue;
    }
    const ref = ok(tc.input);
    assert.equal(ref.name, tc.norm, tc.input);
    assert.equal(ref.tag, tc.tag ?? null, tc.input);
    assert.equal(ref.digest, tc.digest ?? null, tc.input);
  }
});

// reference_test.go TestWithNameFailure (7 cases): WithName, a name without tag or digest.
test('reference_test.go TestWithNameFailure', () => {
  const cases: [string, string][] = [
    ['', E.format],
    [':justtag', E.format],
    [`@sha256:${f64}`, E.format],
    [`validname@invaliddigest:${f64}`, E.format],
    ['example.com/repo:tag', E.format],
    [`example.com/${'a'.repeat(256)}`, E.tooLong],
    ['aa/asdf$$^/aa', E.format],
  ];
  for (const [input, error] of cases) assert.deepEqual(parseRawName(input), { ok: false, error }, input);
});

// reference_test.go TestDomainAndPath (6 cases): WithName, then Domain() and Path().
test('reference_test.go TestDomainAndPath', () => {
  const cases: [string, string, string][] = [
    ['test.com/foo', 'test.com', 'foo'],
    ['test_com/foo', '', 'test_com/foo'],
    ['test:8080/foo', 'test:8080', 'foo'],
    ['test.com:8080/foo', 'test.com:8080', 'foo'],
    ['test-com:8080/foo', 'test-com:8080', 'foo'],
    ['xn--n3h.com:18080/foo', 'xn--n3h.com:18080', 'foo'],
  ];
  for (const [input, domain, path] of cases) assert.deepEqual(parseRawName(input), { ok: true, value: { domain, path } }, input);
});

// reference_test.go TestSerialization (4 cases): UnmarshalText is Parse.
test('reference_test.go TestSerialization', () => {
  assert.deepEqual(parseRawReference(''), { ok: false, error: E.empty });
  const d = 'sha256:1234567890098765432112345667890098765432112345667890098765432112';
  assert.deepEqual(parseRawReference('example.com:8000/named'), { ok: true, value: { domain: 'example.com:8000', path: 'named', tag: '', digest: '' } });
  assert.deepEqual(parseRawReference('example.com:8000/named:tagged'), { ok: true, value: { domain: 'example.com:8000', path: 'named', tag: 'tagged', digest: '' } });
  assert.deepEqual(parseRawReference(`other.com/named@${d}`), { ok: true, value: { domain: 'other.com', path: 'named', tag: '', digest: d } });
});

// reference_test.go TestWithTag (5) and TestWithDigest (4) build references with WithTag/WithDigest, which only
// check the digest *pattern* (32+ hex digits). Parsing their combined strings shows the difference: go-digest
// rejects the 37-digit sha256 those tests use, so such an image would be InvalidImageName.
test('reference_test.go TestWithTag / TestWithDigest combined strings', () => {
  const short = 'sha256:1234567890098765432112345667890098765';
  const tagged: [string, string, string][] = [
    ['test.com/foo:tag', 'test.com/foo', 'tag'],
    ['foo:tag2', 'docker.io/library/foo', 'tag2'],
    ['test.com:8000/foo:tag4', 'test.com:8000/foo', 'tag4'],
    ['test.com:8000/foo:TAG5', 'test.com:8000/foo', 'TAG5'],
  ];
  for (const [input, name, tag] of tagged) {
    const ref = ok(input);
    assert.equal(ref.name, name);
    assert.equal(ref.tag, tag);
  }
  for (const input of [
    `test.com:8000/foo:TAG5@${short}`,
    `test.com/foo@${short}`,
    `foo@${short}`,
    `test.com:8000/foo@${short}`,
    `test.com:8000/foo:latest@${short}`,
  ]) {
    assert.deepEqual(parseRawReference(input), { ok: false, error: E.digestLength }, input);
    assert.equal(err(input), E.digestLength, input);
  }
});

// reference_test.go TestParseNamed (8 cases): ParseNamed = ParseNormalizedNamed + "must already be canonical".
test('reference_test.go TestParseNamed', () => {
  const cases: { input: string; domain: string; path: string; canonical: boolean }[] = [
    { input: 'test.com/foo', domain: 'test.com', path: 'foo', canonical: true },
    { input: 'test:8080/foo', domain: 'test:8080', path: 'foo', canonical: true },
    { input: 'test_com/foo', domain: 'docker.io', path: 'test_com/foo', canonical: false },
    { input: 'test.com', domain: 'docker.io', path: 'library/test.com', canonical: false },
    { input: 'foo', domain: 'docker.io', path: 'library/foo', canonical: false },
    { input: 'library/foo', domain: 'docker.io', path: 'library/foo', canonical: false },
    { input: 'docker.io/library/foo', domain: 'docker.io', path: 'library/foo', canonical: true },
    // Ambiguous case, parser will add "library/" to foo
    { input: 'docker.io/foo', domain: 'docker.io', path: 'library/foo', canonical: false },
  ];
  for (const tc of cases) {
    const ref = ok(tc.input);
    assert.equal(ref.domain, tc.domain, tc.input);
    assert.equal(ref.path, tc.path, tc.input);
    assert.equal(canonical(ref) === tc.input, tc.canonical, tc.input);
  }
});

// ---------------------------------------------------------------------------------------------------------
// distribution/reference normalize_test.go

// TestValidateReferenceName: 23 valid (with the normalized name we expect) and 14 invalid names.
test('normalize_test.go TestValidateReferenceName', () => {
  const hex = '1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a';
  const song = 'thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev';
  const valid: [string, string][] = [
    ['docker/docker', 'docker.io/docker/docker'],
    ['library/debian', 'docker.io/library/debian'],
    ['debian', 'docker.io/library/debian'],
    ['docker.io/docker/docker', 'docker.io/docker/docker'],
    ['docker.io/library/debian', 'docker.io/library/debian'],
    ['docker.io/debian', 'docker.io/library/debian'],
    ['index.docker.io/docker/docker', 'docker.io/docker/docker'],
    ['index.docker.io/library/debian', 'docker.io/library/debian'],
    ['index.docker.io/debian', 'docker.io/library/debian'],
    ['127.0.0.1:5000/docker/docker', '127.0.0.1:5000/docker/docker'],
    ['127.0.0.1:5000/library/debian', '127.0.0.1:5000/library/debian'],
    ['127.0.0.1:5000/debian', '127.0.0.1:5000/debian'],
    ['192.168.0.1', 'docker.io/library/192.168.0.1'],
    ['192.168.0.1:80', 'docker.io/library/192.168.0.1'],
    ['192.168.0.1:8/debian', '192.168.0.1:8/debian'],
    ['192.168.0.2:25000/debian', '192.168.0.2:25000/debian'],
    [song, `docker.io/library/${song}`],
    ['[fc00::1]:5000/docker', '[fc00::1]:5000/docker'],
    ['[fc00::1]:5000/docker/docker', '[fc00::1]:5000/docker/docker'],
    ['[fc00:1:2:3:4:5:6:7]:5000/library/debian', '[fc00:1:2:3:4:5:6:7]:5000/library/debian'],
    // Moved from invalid to valid upstream: with a hostname it is unambiguously a repository name.
    [`docker.io/${hex}`, `docker.io/library/${hex}`],
    ['Docker/docker', 'Docker/docker'],
    ['DOCKER/docker', 'DOCKER/docker'],
  ];
  const invalid: [string, string][] = [
    ['https://github.com/docker/docker', E.format],
    ['docker/Docker', lowercaseErr('docker/Docker')],
    ['-docker', E.format],
    ['-docker/docker', E.format],
    ['-docker.io/docker/docker', E.format],
    ['docker///docker', E.format],
    ['docker.io/docker/Docker', lowercaseErr('docker/Docker')],
    ['docker.io/docker///docker', E.format],
    ['[fc00::1]', E.format],
    ['[fc00::1]:5000', E.format],
    ['fc00::1:5000/debian', E.format],
    ['[fe80::1%eth0]:5000/debian', E.format],
    ['[2001:db8:3:4::192.0.2.33]:5000/debian', E.format],
    [hex, hexErr(hex)],
  ];
  assert.equal(valid.length + invalid.length, 37);
  for (const [input, name] of valid) assert.equal(ok(input).name, name, input);
  for (const [input, error] of invalid) assert.equal(err(input), error, input);
});

// TestValidateRemoteName: 8 valid, 13 invalid.
test('normalize_test.go TestValidateRemoteName', () => {
  const valid = [
    'docker/docker',
    'thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev', // 64 non-hex characters are fine
    'docker-rules/docker',
    'docker---rules/docker',
    'doc/docker',
    'd/docker',
    'jess/t',
    'dock__er/docker',
  ];
  const longNamespace =
    'this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255/docker';
  const invalid: [string, string][] = [
    ['docker/Docker', lowercaseErr('docker/Docker')],
    ['docker///docker', E.format],
    ['1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a', hexErr('1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a')],
    ['-docker/docker', E.format],
    ['docker-/docker', E.format],
    ['-docker-/docker', E.format],
    ['____/____', E.format],
    ['_docker/_docker', E.format],
    ['dock..er/docker', E.format],
    ['dock_.er/docker', E.format],
    ['dock-.er/docker', E.format],
    ['docker/', E.format],
    [longNamespace, E.tooLong],
  ];
  for (const input of valid) assert.equal(ok(input).domain, 'docker.io', input);
  for (const [input, error] of invalid) assert.equal(err(input), error, input);
});

// TestParseRepositoryInfo (16 cases, 36 reference strings): familiar, full, and ambiguous spellings all give
// the same FamiliarName, String(), Domain() and Path().
test('normalize_test.go TestParseRepositoryInfo', () => {
  const cases: { remote: string; familiar: string; full: string; ambiguous: string; domain: string }[] = [
    { remote: 'fooo/bar', familiar: 'fooo/bar', full: 'docker.io/fooo/bar', ambiguous: 'index.docker.io/fooo/bar', domain: 'docker.io' },
    { remote: 'library/ubuntu', familiar: 'ubuntu', full: 'docker.io/library/ubuntu', ambiguous: 'library/ubuntu', domain: 'docker.io' },
    { remote: 'nonlibrary/ubuntu', familiar: 'nonlibrary/ubuntu', full: 'docker.io/nonlibrary/ubuntu', ambiguous: '', domain: 'docker.io' },
    { remote: 'other/library', familiar: 'other/library', full: 'docker.io/other/library', ambiguous: '', domain: 'docker.io' },
    { remote: 'private/moonbase', familiar: '127.0.0.1:8000/private/moonbase', full: '127.0.0.1:8000/private/moonbase', ambiguous: '', domain: '127.0.0.1:8000' },
    { remote: 'privatebase', familiar: '127.0.0.1:8000/privatebase', full: '127.0.0.1:8000/privatebase', ambiguous: '', domain: '127.0.0.1:8000' },
    { remote: 'private/moonbase', familiar: 'example.com/private/moonbase', full: 'example.com/private/moonbase', ambiguous: '', domain: 'example.com' },
    { remote: 'privatebase', familiar: 'example.com/privatebase', full: 'example.com/privatebase', ambiguous: '', domain: 'example.com' },
    { remote: 'private/moonbase', familiar: 'example.com:8000/private/moonbase', full: 'example.com:8000/private/moonbase', ambiguous: '', domain: 'example.com:8000' },
    { remote: 'privatebasee', familiar: 'example.com:8000/privatebasee', full: 'example.com:8000/privatebasee', ambiguous: '', domain: 'example.com:8000' },
    {
      remote: 'library/ubuntu-12.04-base',
      familiar: 'ubuntu-12.04-base',
      full: 'docker.io/library/ubuntu-12.04-base',
      ambiguous: 'index.docker.io/library/ubuntu-12.04-base',
      domain: 'docker.io',
    },
    { remote: 'library/foo', familiar: 'foo', full: 'docker.io/library/foo', ambiguous: 'docker.io/foo', domain: 'docker.io' },
    { remote: 'library/foo/bar', familiar: 'library/foo/bar', full: 'docker.io/library/foo/bar', ambiguous: '', domain: 'docker.io' },
    { remote: 'store/foo/bar', familiar: 'store/foo/bar', full: 'docker.io/store/foo/bar', ambiguous: '', domain: 'docker.io' },
    { remote: 'bar', familiar: 'Foo/bar', full: 'Foo/bar', ambiguous: '', domain: 'Foo' },
    { remote: 'bar', familiar: 'FOO/bar', full: 'FOO/bar', ambiguous: '', domain: 'FOO' },
  ];
  let strings = 0;
  for (const tc of cases) {
    for (const r of [tc.familiar, tc.full, ...(tc.ambiguous ? [tc.ambiguous] : [])]) {
      strings++;
      const ref = ok(r);
      assert.equal(ref.familiarName, tc.familiar, `${r} familiar`);
      assert.equal(ref.name, tc.full, `${r} full`);
      assert.equal(ref.domain, tc.domain, `${r} domain`);
      assert.equal(ref.path, tc.remote, `${r} path`);
    }
  }
  assert.equal(strings, 36);
});

// TestParseReferenceWithTagAndDigest: both tag and digest are kept; the familiar string is the input.
test('normalize_test.go TestParseReferenceWithTagAndDigest', () => {
  const short = 'busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa';
  const ref = ok(short);
  assert.equal(canonical(ref), `docker.io/library/${short}`);
  assert.equal(ref.tag, 'latest');
  assert.equal(ref.digest, 'sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa');
  assert.equal(`${ref.familiarName}:${ref.tag}@${ref.digest}`, short);
});

// TestInvalidReferenceComponents: "-foo" is no name; "-foo" is no tag; "foo" is no digest.
test('normalize_test.go TestInvalidReferenceComponents', () => {
  assert.equal(err('-foo'), E.format);
  ok('busybox');
  assert.equal(err('busybox:-foo'), E.format);
  assert.equal(err('busybox@foo'), E.format);
});

// TestParseAnyReference (14 cases). ParseAnyReference also accepts bare IDs and digests; container images go
// through ParseNormalizedNamed, so those four inputs show what Kubernetes does instead.
test('normalize_test.go TestParseAnyReference (as ParseNormalizedNamed)', () => {
  const dg = 'sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c';
  const named: [string, string][] = [
    ['redis', 'docker.io/library/redis'],
    ['redis:latest', 'docker.io/library/redis:latest'],
    ['docker.io/library/redis:latest', 'docker.io/library/redis:latest'],
    [`redis@${dg}`, `docker.io/library/redis@${dg}`],
    [`docker.io/library/redis@${dg}`, `docker.io/library/redis@${dg}`],
    ['dmcgowan/myapp', 'docker.io/dmcgowan/myapp'],
    ['dmcgowan/myapp:latest', 'docker.io/dmcgowan/myapp:latest'],
    ['docker.io/mcgowan/myapp:latest', 'docker.io/mcgowan/myapp:latest'],
    [`dmcgowan/myapp@${dg}`, `docker.io/dmcgowan/myapp@${dg}`],
    [`docker.io/dmcgowan/myapp@${dg}`, `docker.io/dmcgowan/myapp@${dg}`],
    // 63 hex digits are not an ID: a normal repository name.
    ['dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9', 'docker.io/library/dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9'],
    ['dbcc1', 'docker.io/library/dbcc1'],
    // A bare digest has no "/", so it is repository "sha256" with the hex as its tag.
    [dg, `docker.io/library/${dg}`],
  ];
  for (const [input, equivalent] of named) assert.equal(canonical(ok(input)), equivalent, input);
  const id = dg.slice('sha256:'.length);
  assert.equal(err(id), hexErr(id));
});

// TestNormalizedSplitHostname (11 cases).
test('normalize_test.go TestNormalizedSplitHostname', () => {
  const cases: [string, string, string][] = [
    ['test.com/foo', 'test.com', 'foo'],
    ['test_com/foo', 'docker.io', 'test_com/foo'],
    ['docker/migrator', 'docker.io', 'docker/migrator'],
    ['test.com:8080/foo', 'test.com:8080', 'foo'],
    ['test-com:8080/foo', 'test-com:8080', 'foo'],
    ['foo', 'docker.io', 'library/foo'],
    ['xn--n3h.com/foo', 'xn--n3h.com', 'foo'],
    ['xn--n3h.com:18080/foo', 'xn--n3h.com:18080', 'foo'],
    ['docker.io/foo', 'docker.io', 'library/foo'],
    ['docker.io/library/foo', 'docker.io', 'library/foo'],
    ['docker.io/library/foo/bar', 'docker.io', 'library/foo/bar'],
  ];
  for (const [input, domain, path] of cases) {
    const ref = ok(input);
    assert.equal(ref.domain, domain, input);
    assert.equal(ref.path, path, input);
  }
});

// TestParseDockerRef (11 cases). ParseDockerRef = ParseNormalizedNamed, then ":latest" when there is neither
// tag nor digest, and the tag dropped when there is a digest; rebuilt here from our fields.
test('normalize_test.go TestParseDockerRef', () => {
  const dg = 'sha256:e6693c20186f837fc393390135d8a598a96a833917917789d63766cab6c59582';
  const cases: [string, string][] = [
    ['busybox', 'docker.io/library/busybox:latest'],
    ['busybox:latest', 'docker.io/library/busybox:latest'],
    [`busybox@${dg}`, `docker.io/library/busybox@${dg}`],
    ['library/busybox', 'docker.io/library/busybox:latest'],
    ['docker.io/busybox', 'docker.io/library/busybox:latest'],
    ['docker.io/library/busybox', 'docker.io/library/busybox:latest'],
    ['docker.io/busybox:latest', 'docker.io/library/busybox:latest'],
    ['library/busybox:latest', 'docker.io/library/busybox:latest'],
    ['docker.io/library/busybox:latest', 'docker.io/library/busybox:latest'],
    ['gcr.io/library/busybox', 'gcr.io/library/busybox:latest'],
    [`gcr.io/library/busybox:latest@${dg}`, `gcr.io/library/busybox@${dg}`],
  ];
  for (const [input, expected] of cases) {
    const ref = ok(input);
    const dockerRef = ref.digest !== null ? `${ref.name}@${ref.digest}` : `${ref.name}:${ref.tag ?? 'latest'}`;
    assert.equal(dockerRef, expected, input);
    assert.equal(parseRawReference(dockerRef).ok, true, `${dockerRef} is a valid reference`);
  }
});

// ---------------------------------------------------------------------------------------------------------
// distribution/reference regexp_test.go, against the same anchored regular expressions.

type RegexpMatch = [input: string, match: boolean, subs?: string[]];
function checkRegexp(r: RegExp, [input, match, subs]: RegexpMatch): void {
  const m = r.exec(input);
  if (!match) {
    assert.equal(m, null, `unexpected match for ${JSON.stringify(input)}`);
    return;
  }
  assert.ok(m, `expected match for ${JSON.stringify(input)}`);
  assert.equal(m[0], input);
  (subs ?? []).forEach((s, i) => assert.equal(m[i + 1] ?? '', s, `submatch ${i + 1} of ${JSON.stringify(input)}`));
}

// TestDomainRegexp (30 cases).
test('regexp_test.go TestDomainRegexp', () => {
  const cases: RegexpMatch[] = [
    ['test.com', true],
    ['test.com:10304', true],
    ['test.com:http', false],
    ['localhost', true],
    ['localhost:8080', true],
    ['a', true],
    ['a.b', true],
    ['ab.cd.com', true],
    ['a-b.com', true],
    ['-ab.com', false],
    ['ab-.com', false],
    ['ab.c-om', true],
    ['ab.-com', false],
    ['ab.com-', false],
    ['0101.com', true],
    ['001a.com', true],
    ['b.gbc.io:443', true],
    ['b.gbc.io', true],
    ['xn--n3h.com', true],
    ['Asdf.com', true], // uppercase character
    ['192.168.1.1:75050', true], // ipv4
    ['192.168.1.1:750050', true], // port with more than 5 digits, it will fail on validation
    ['[fd00:1:2::3]:75050', true], // ipv6 compressed
    ['[fd00:1:2::3]75050', false], // ipv6 wrong port separator
    ['[fd00:1:2::3]::75050', false], // ipv6 wrong port separator
    ['[fd00:1:2::3%eth0]:75050', false], // ipv6 with zone
    ['[fd00123123123]:75050', true], // ipv6 wrong format, will fail in validation
    ['[2001:0db8:85a3:0000:0000:8a2e:0370:7334]:75050', true], // ipv6 long format
    ['[2001:0db8:85a3:0000:0000:8a2e:0370:7334]:750505', true], // ipv6 long format and invalid port
    ['fd00:1:2::3:75050', false], // bad ipv6 without square brackets
  ];
  assert.equal(cases.length, 30);
  for (const tc of cases) checkRegexp(referenceRegexps.domain, tc);
});

// TestFullNameRegexp (63 cases): anchoredNameRegexp with (domain, path) submatches.
test('regexp_test.go TestFullNameRegexp', () => {
  const cases: RegexpMatch[] = [
    ['', false],
    ['short', true, ['', 'short']],
    ['simple/name', true, ['simple', 'name']],
    ['library/ubuntu', true, ['library', 'ubuntu']],
    ['docker/stevvooe/app', true, ['docker', 'stevvooe/app']],
    ['aa/aa/aa/aa/aa/aa/aa/aa/aa/bb/bb/bb/bb/bb/bb', true, ['aa', 'aa/aa/aa/aa/aa/aa/aa/aa/bb/bb/bb/bb/bb/bb']],
    ['aa/aa/bb/bb/bb', true, ['aa', 'aa/bb/bb/bb']],
    ['a/a/a/a', true, ['a', 'a/a/a']],
    ['a/a/a/a/', false],
    ['a//a/a', false],
    ['a', true, ['', 'a']],
    ['a/aa', true, ['a', 'aa']],
    ['a/aa/a', true, ['a', 'aa/a']],
    ['foo.com', true, ['', 'foo.com']],
    ['foo.com/', false],
    ['foo.com:8080/bar', true, ['foo.com:8080', 'bar']],
    ['foo.com:http/bar', false],
    ['foo.com/bar', true, ['foo.com', 'bar']],
    ['foo.com/bar/baz', true, ['foo.com', 'bar/baz']],
    ['localhost:8080/bar', true, ['localhost:8080', 'bar']],
    ['sub-dom1.foo.com/bar/baz/quux', true, ['sub-dom1.foo.com', 'bar/baz/quux']],
    ['blog.foo.com/bar/baz', true, ['blog.foo.com', 'bar/baz']],
    ['a^a', false],
    ['aa/asdf$$^/aa', false],
    ['asdf$$^/aa', false],
    ['aa-a/a', true, ['aa-a', 'a']],
    ['a/'.repeat(128) + 'a', true, ['a', 'a/'.repeat(127) + 'a']],
    ['a-/a/a/a', false],
    ['foo.com/a-/a/a', false],
    ['-foo/bar', false],
    ['foo/bar-', false],
    ['foo-/bar', false],
    ['foo/-bar', false],
    ['_foo/bar', false],
    ['foo_bar', true, ['', 'foo_bar']],
    ['foo_bar.com', true, ['', 'foo_bar.com']],
    ['foo_bar.com:8080', false],
    ['foo_bar.com:8080/app', false],
    ['foo.com/foo_bar', true, ['foo.com', 'foo_bar']],
    ['____/____', false],
    ['_docker/_docker', false],
    ['docker_/docker_', false],
    ['b.gcr.io/test.example.com/my-app', true, ['b.gcr.io', 'test.example.com/my-app']],
    ['xn--n3h.com/myimage', true, ['xn--n3h.com', 'myimage']],
    ['xn--7o8h.com/myimage', true, ['xn--7o8h.com', 'myimage']],
    ['example.com/xn--7o8h.com/myimage', true, ['example.com', 'xn--7o8h.com/myimage']],
    ['example.com/some_separator__underscore/myimage', true, ['example.com', 'some_separator__underscore/myimage']],
    ['example.com/__underscore/myimage', false],
    ['example.com/..dots/myimage', false],
    ['example.com/.dots/myimage', false],
    ['example.com/nodouble..dots/myimage', false],
    ['example.com/nodouble..dots/myimage', false],
    ['docker./docker', false],
    ['.docker/docker', false],
    ['docker-/docker', false],
    ['-docker/docker', false],
    ['do..cker/docker', false],
    ['do__cker:8080/docker', false],
    ['do__cker/docker', true, ['', 'do__cker/docker']],
    ['b.gcr.io/test.example.com/my-app', true, ['b.gcr.io', 'test.example.com/my-app']],
    ['registry.io/foo/project--id.module--name.ver---sion--name', true, ['registry.io', 'foo/project--id.module--name.ver---sion--name']],
    ['Asdf.com/foo/bar', true], // uppercase character in hostname
    ['Foo/FarB', false], // uppercase characters in remote name
  ];
  assert.equal(cases.length, 63);
  for (const tc of cases) checkRegexp(referenceRegexps.name, tc);
});

// TestReferenceRegexp (12 cases): ReferenceRegexp with (name, tag, digest) submatches.
test('regexp_test.go TestReferenceRegexp', () => {
  const d = 'sha256:be178c0543eb17f5f3043021c9e5fcf30285e557a4fc309cce97ff9ca6182912';
  const cases: RegexpMatch[] = [
    ['registry.com:8080/myapp:tag', true, ['registry.com:8080/myapp', 'tag', '']],
    [`registry.com:8080/myapp@${d}`, true, ['registry.com:8080/myapp', '', d]],
    [`registry.com:8080/myapp:tag2@${d}`, true, ['registry.com:8080/myapp', 'tag2', d]],
    ['registry.com:8080/myapp@sha256:badbadbadbad', false],
    ['registry.com:8080/myapp:invalid~tag', false],
    ['bad_hostname.com:8080/myapp:tag', false],
    // localhost treated as name, missing tag with 8080 as tag
    [`localhost:8080@${d}`, true, ['localhost', '8080', d]],
    [`localhost:8080/name@${d}`, true, ['localhost:8080/name', '', d]],
    [`localhost:http/name@${d}`, false],
    // localhost will be treated as an image name without a host
    [`localhost@${d}`, true, ['localhost', '', d]],
    ['registry.com:8080/myapp@bad', false],
    ['registry.com:8080/myapp@2bad', false],
  ];
  for (const tc of cases) checkRegexp(referenceRegexps.reference, tc);
});

// TestIdentifierRegexp (5 cases).
test('regexp_test.go TestIdentifierRegexp', () => {
  const cases: RegexpMatch[] = [
    ['da304e823d8ca2b9d863a3c897baeb852ba21ea9a9f1414736394ae7fcaf9821', true],
    ['7EC43B381E5AEFE6E04EFB0B3F0693FF2A4A50652D64AEC573905F2DB5889A1C', false],
    ['da304e823d8ca2b9d863a3c897baeb852ba21ea9a9f1414736394ae7fcaf', false],
    ['sha256:da304e823d8ca2b9d863a3c897baeb852ba21ea9a9f1414736394ae7fcaf9821', false],
    ['da304e823d8ca2b9d863a3c897baeb852ba21ea9a9f1414736394ae7fcaf98218482', false],
  ];
  for (const tc of cases) checkRegexp(referenceRegexps.identifier, tc);
  // Only the first is rejected as an ID by ParseNormalizedNamed; uppercase hex fails as an uppercase name.
  assert.match(err('da304e823d8ca2b9d863a3c897baeb852ba21ea9a9f1414736394ae7fcaf9821'), /cannot specify 64-byte hexadecimal strings/);
  assert.match(err('7EC43B381E5AEFE6E04EFB0B3F0693FF2A4A50652D64AEC573905F2DB5889A1C'), /must be lowercase/);
});

// ---------------------------------------------------------------------------------------------------------
// opencontainers/go-digest digest_test.go TestParseDigest (19 cases), with the answers of v1.0.0 (the version
// Kubernetes vendors): sha256/sha384/sha512 registered; blake3 is not, so it is "unsupported"; a wrong hex
// length is the separate "invalid checksum digest length" error.
test('go-digest digest_test.go TestParseDigest (v1.0.0 semantics)', () => {
  const sha384 = 'd3fc7881460b7e22e3d172954463dddd7866d17597e7248453c48b3e9d26d9596bf9c4a9cf8072c9d5bad76e19af801d';
  const cases: [string, string | null][] = [
    ['sha256:e58fcf7418d4390dec8e8fb69d88c06ec07039d651fedd3aa72af9972e7d046b', null],
    [`sha384:${sha384}`, null],
    ['blake3:af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262', E.digestUnsupported],
    ['', E.digestFormat], // empty
    ['     ', E.digestFormat], // whitespace only
    ['sha256:', E.digestFormat], // empty hex
    [`sha256:${' '.repeat(64)}`, E.digestFormat], // hex with correct length, but whitespace only
    [':', E.digestFormat], // empty hex
    ['d41d8cd98f00b204e9800998ecf8427e', E.digestFormat], // just hex
    ['sha256:d41d8cd98f00b204e9800m98ecf8427e', E.digestLength], // not hex
    ['sha256:abcdef0123456789', E.digestLength], // too short
    ['sha512:abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789', E.digestLength], // too short
    ['blake3:abcdef0123456789abcdef0123456789abcdef01234', E.digestUnsupported],
    ['foo:d41d8cd98f00b204e9800998ecf8427e', E.digestUnsupported],
    [`sha384__foo+bar:${sha384}`, E.digestFormat], // repeated separators
    [`sha384.foo+bar:${sha384}`, E.digestUnsupported],
    [`sha384_foo+bar:${sha384}`, E.digestUnsupported],
    ['sha256+b64:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564', E.digestUnsupported],
    ['sha256:E58FCF7418D4390DEC8E8FB69D88C06EC07039D651FEDD3AA72AF9972E7D046B', E.digestFormat],
  ];
  assert.equal(cases.length, 19);
  for (const [input, error] of cases) assert.equal(validateDigest(input), error, JSON.stringify(input));
});

// ---------------------------------------------------------------------------------------------------------
// kubernetes pkg/util/parsers/parsers_test.go TestParseImageName (9 cases): repo is Name(); tag defaults to
// "latest" only when there is neither tag nor digest.
test('kubernetes parsers_test.go TestParseImageName', () => {
  const d = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
  const cases: [string, string, string, string][] = [
    ['root', 'docker.io/library/root', 'latest', ''],
    ['root:tag', 'docker.io/library/root', 'tag', ''],
    [`root@${d}`, 'docker.io/library/root', '', d],
    ['user/repo', 'docker.io/user/repo', 'latest', ''],
    ['user/repo:tag', 'docker.io/user/repo', 'tag', ''],
    [`user/repo@${d}`, 'docker.io/user/repo', '', d],
    ['url:5000/repo', 'url:5000/repo', 'latest', ''],
    ['url:5000/repo:tag', 'url:5000/repo', 'tag', ''],
    [`url:5000/repo@${d}`, 'url:5000/repo', '', d],
  ];
  for (const [input, repo, tag, digest] of cases) {
    const ref = ok(input);
    assert.equal(ref.name, repo, input);
    assert.equal(ref.tag ?? (ref.digest === null ? 'latest' : ''), tag, input);
    assert.equal(ref.digest ?? '', digest, input);
  }
});

// ---------------------------------------------------------------------------------------------------------
// Examples from design/kubernetes-semantics.md §2.
test('semantics doc: Docker Hub normalization', () => {
  assert.deepEqual(ok('nginx'), {
    name: 'docker.io/library/nginx',
    domain: 'docker.io',
    path: 'library/nginx',
    tag: null,
    digest: null,
    familiarName: 'nginx',
  });
  // A name without "/" is always Docker Hub: test.com:5000 is repository test.com with tag 5000.
  assert.deepEqual(ok('test.com:5000'), {
    name: 'docker.io/library/test.com',
    domain: 'docker.io',
    path: 'library/test.com',
    tag: '5000',
    digest: null,
    familiarName: 'test.com',
  });
  assert.equal(ok('localhost/app').domain, 'localhost');
  assert.deepEqual(ok('localhost:5000/app'), {
    name: 'localhost:5000/app',
    domain: 'localhost:5000',
    path: 'app',
    tag: null,
    digest: null,
    familiarName: 'localhost:5000/app',
  });
  assert.equal(ok('localhost').name, 'docker.io/library/localhost');
  assert.equal(ok('index.docker.io/nginx').name, 'docker.io/library/nginx');
  assert.equal(ok('index.docker.io/nginx').familiarName, 'nginx');
  assert.equal(ok('bitnami/redis:7.2').familiarName, 'bitnami/redis');
  assert.equal(ok('gcr.io/x/y').familiarName, 'gcr.io/x/y');
  assert.equal(ok('registry-1.docker.io/library/nginx').domain, 'registry-1.docker.io');
  // "Foo/bar" is valid: uppercase makes "Foo" a registry.
  assert.deepEqual(ok('Foo/bar'), { name: 'Foo/bar', domain: 'Foo', path: 'bar', tag: null, digest: null, familiarName: 'Foo/bar' });
  assert.equal(ok('Registry.Example.COM:5000/team/app:v1').domain, 'Registry.Example.COM:5000');
  assert.equal(ok('[::1]:5000/app:v1').domain, '[::1]:5000');
  assert.equal(ok('10.0.0.1:5000/app').domain, '10.0.0.1:5000');
  // An upstream corner: splitDockerDomain takes foo_bar.com as a host, the grammar reads it as a path.
  assert.deepEqual(ok('foo_bar.com/app'), { name: 'foo_bar.com/app', domain: '', path: 'foo_bar.com/app', tag: null, digest: null, familiarName: 'foo_bar.com/app' });
});

test('semantics doc: uppercase', () => {
  assert.equal(err('NGINX'), 'invalid reference format: repository name (library/NGINX) must be lowercase');
  assert.equal(err('NGINX:1.27'), lowercaseErr('library/NGINX'));
  assert.equal(err('myorg/MyApp'), lowercaseErr('myorg/MyApp'));
  assert.equal(err('Foo/Bar'), lowercaseErr('Bar'));
  assert.equal(err('localhost:5000/App'), lowercaseErr('App'));
  assert.equal(ok('nginx:Latest').tag, 'Latest'); // tags may be uppercase
  // Upstream cuts the "repository" at the first ':' — even the digest's — so an uppercase algorithm without a
  // tag reads as an uppercase repository; with a tag it reaches go-digest instead.
  assert.equal(err(`nginx@SHA256:${f64}`), lowercaseErr('library/nginx@SHA256'));
  assert.equal(err(`nginx:1@SHA256:${f64}`), E.digestFormat);
});

test('semantics doc: digests', () => {
  const h = (n: number): string => 'a'.repeat(n);
  assert.equal(ok(`nginx@sha256:${h(64)}`).digest, `sha256:${h(64)}`);
  assert.equal(ok(`nginx@sha384:${h(96)}`).digest, `sha384:${h(96)}`);
  assert.equal(ok(`nginx@sha512:${h(128)}`).digest, `sha512:${h(128)}`);
  assert.equal(ok(`nginx:1.27@sha256:${h(64)}`).tag, '1.27');
  assert.equal(err(`nginx@sha256:${h(63)}`), E.digestLength);
  assert.equal(err(`nginx@sha256:${h(65)}`), E.digestLength);
  assert.equal(err(`nginx@sha384:${h(64)}`), E.digestLength);
  assert.equal(err(`nginx@sha512:${h(96)}`), E.digestLength);
  assert.equal(err(`nginx@sha256:${'A'.repeat(64)}`), E.digestFormat); // hex must be lowercase
  assert.equal(err(`nginx@md5:${h(32)}`), E.digestUnsupported);
  assert.equal(err(`nginx@blake3:${h(64)}`), E.digestUnsupported);
  assert.equal(err('nginx@sha256:abc'), E.format); // fewer than 32 hex digits: not even the pattern
  assert.equal(err('nginx:latest@sha256:abc'), E.format);
  assert.equal(err(`nginx@sha256:${h(64)}@sha256:${h(64)}`), E.format);
});

test('semantics doc: 64-hex image IDs', () => {
  const id = '0123456789abcdef'.repeat(4);
  assert.equal(err(id), hexErr(id));
  assert.equal(ok(`${id}:v1`).tag, 'v1'); // only the bare ID is rejected
  assert.equal(ok(`docker.io/${id}`).path, `library/${id}`);
});

test('semantics doc: whitespace and characters', () => {
  for (const s of [' nginx', 'nginx ', '\tnginx', 'nginx\n', 'nginx :1.0', 'nginx: 1.0', 'ngi nx', '\u00a0nginx']) {
    assert.equal(err(s), E.format, JSON.stringify(s));
  }
  for (const s of ['', '/nginx', 'nginx/', 'a//b', 'https://gcr.io/x/y', 'nginx:', 'nginx@', 'nginx:1.0:2.0', 'nginx:~1', 'ngin$x', 'gcr.io:port/x']) {
    assert.equal(err(s), E.format, JSON.stringify(s));
  }
  assert.equal(err('ñginx'), E.format);
  assert.equal(err('Ñginx'), lowercaseErr('library/Ñginx'));
});

test('semantics doc: length limits', () => {
  // The path, after library/ is added, may be 255 characters.
  assert.equal(ok('a'.repeat(247)).path.length, 255);
  assert.equal(err('a'.repeat(248)), E.tooLong);
  assert.equal(ok(`example.com/${'a'.repeat(255)}`).path.length, 255);
  assert.equal(err(`example.com/${'a'.repeat(256)}`), E.tooLong);
  assert.equal(err(`example.com/${'a/'.repeat(127)}ab`), E.tooLong); // 256 with separators
  // The domain does not count (distribution/reference ≥ v0.6.0, which Kubernetes vendors).
  assert.equal(ok(`${'r'.repeat(60)}.example.com:5000/${'a'.repeat(255)}`).path.length, 255);
  // Tags: 1 + up to 127 more characters.
  assert.equal(ok(`nginx:${'t'.repeat(128)}`).tag?.length, 128);
  assert.equal(err(`nginx:${'t'.repeat(129)}`), E.format);
  assert.equal(ok('nginx:_x').tag, '_x');
  assert.equal(err('nginx:.x'), E.format);
  assert.equal(err('nginx:-x'), E.format);
});

test('parseImageReference never throws and stays fast on hostile input', () => {
  const start = Date.now();
  for (const s of ['a'.repeat(20000) + '!', 'a-'.repeat(10000) + '!', 'a.'.repeat(10000) + '/x:', 'a__'.repeat(5000) + '_', '['.repeat(5000), ':'.repeat(5000)]) {
    assert.equal(parseImageReference(s).valid, false);
  }
  assert.ok(Date.now() - start < 2000, 'parsing took too long');
  assert.equal(parseImageReference(undefined as unknown as string).valid, false);
});

test('hints explain a bare "invalid reference format"', () => {
  const hint = (s: string): string | undefined => {
    const r = parseImageReference(s);
    assert.equal(r.valid, false, s);
    return r.valid ? undefined : r.hint;
  };
  assert.equal(hint(''), 'the image is empty');
  assert.equal(hint(' nginx'), 'it has leading or trailing whitespace');
  assert.equal(hint('ngi nx'), 'it contains whitespace');
  assert.match(hint('https://gcr.io/x') ?? '', /URL scheme/);
  assert.match(hint(`nginx:${'t'.repeat(129)}`) ?? '', /129 characters.*128/);
  assert.match(hint('nginx:~1') ?? '', /tag contains "~"/);
  assert.match(hint('nginx:.x') ?? '', /tag must start/);
  assert.match(hint('nginx:') ?? '', /tag .* empty/);
  assert.match(hint('nginx@sha256:abc') ?? '', /a digest is an algorithm and hex digits/);
  assert.match(hint('nginx/') ?? '', /empty component/);
  assert.match(hint('my-.app') ?? '', /start and end with a lowercase letter or digit/);
  assert.match(hint('ngin$x') ?? '', /contains "\$"/);
  assert.match(hint('gcr.io:port/x') ?? '', /not a valid registry/);
  // Specific Go errors carry no hint: they already say why.
  const r = parseImageReference('NGINX');
  assert.ok(!r.valid && r.hint === undefined);
});

// ---------------------------------------------------------------------------------------------------------
test('splitReference: spans of name, tag and digest', () => {
  const span = (s: string): Record<string, string | null> => {
    const p = splitReference(s);
    return {
      name: s.slice(...p.name),
      tag: p.tag ? s.slice(...p.tag) : null,
      digest: p.digest ? s.slice(...p.digest) : null,
    };
  };
  assert.deepEqual(splitReference('nginx'), { name: [0, 5], tag: null, digest: null });
  assert.deepEqual(splitReference('nginx:1.27'), { name: [0, 5], tag: [6, 10], digest: null });
  assert.deepEqual(span(`nginx:latest@sha256:${f64}`), { name: 'nginx', tag: 'latest', digest: `sha256:${f64}` });
  assert.deepEqual(span(`gcr.io/a/b@sha256:${f64}`), { name: 'gcr.io/a/b', tag: null, digest: `sha256:${f64}` });
  assert.deepEqual(span('localhost:5000/app'), { name: 'localhost:5000/app', tag: null, digest: null });
  assert.deepEqual(span('localhost:5000/app:v2'), { name: 'localhost:5000/app', tag: 'v2', digest: null });
  assert.deepEqual(span('test.com:5000'), { name: 'test.com', tag: '5000', digest: null });
  assert.deepEqual(span('[::1]:5000/app:v1'), { name: '[::1]:5000/app', tag: 'v1', digest: null });
  // Best effort on invalid input: whitespace excluded, empty parts as empty spans.
  assert.deepEqual(splitReference('  NGINX:Latest  '), { name: [2, 7], tag: [8, 14], digest: null });
  assert.deepEqual(splitReference('nginx:'), { name: [0, 5], tag: [6, 6], digest: null });
  assert.deepEqual(splitReference('nginx@'), { name: [0, 5], tag: null, digest: [6, 6] });
  assert.deepEqual(splitReference(''), { name: [0, 0], tag: null, digest: null });
  assert.deepEqual(splitReference('   '), { name: [3, 3], tag: null, digest: null });
});

test('suggestReferenceFix: trim and lowercase the path only', () => {
  assert.equal(suggestReferenceFix('NGINX'), 'nginx');
  assert.equal(suggestReferenceFix('NGINX:Latest'), 'nginx:Latest'); // never the tag
  assert.equal(suggestReferenceFix(' nginx:1.27 '), 'nginx:1.27');
  assert.equal(suggestReferenceFix('\tMyOrg/App:V1\n'), 'myorg/app:V1');
  assert.equal(suggestReferenceFix('Registry.Example.com/Team/App:V1'), 'Registry.Example.com/team/app:V1'); // registry kept
  assert.equal(suggestReferenceFix('LOCALHOST:5000/App'), 'LOCALHOST:5000/app');
  assert.equal(suggestReferenceFix('localhost/App'), 'localhost/app');
  // "Foo" is a registry only because of its capitals: a Docker Hub namespace typed in uppercase.
  assert.equal(suggestReferenceFix('Foo/Bar'), 'foo/bar');
  assert.equal(suggestReferenceFix(`NGINX@sha256:${f64}`), `nginx@sha256:${f64}`);
  // Valid already, or not fixable by trimming/lowercasing: null.
  assert.equal(suggestReferenceFix('nginx'), null);
  assert.equal(suggestReferenceFix('Foo/bar'), null);
  assert.equal(suggestReferenceFix('ngi nx'), null);
  assert.equal(suggestReferenceFix(`nginx@sha256:${'A'.repeat(64)}`), null); // never the digest
  assert.equal(suggestReferenceFix('0123456789abcdef'.repeat(4)), null);
  assert.equal(suggestReferenceFix(`nginx:${'t'.repeat(129)}`), null);
  assert.equal(suggestReferenceFix('A'.repeat(248)), null);
  assert.equal(suggestReferenceFix(''), null);
});
