// The kubelet's credential matching. The first suites port the cases of kubernetes/kubernetes
// `pkg/credentialprovider/keyring_test.go` (TestURLsMatch, TestDockerKeyringForGlob, TestKeyringMiss,
// TestKeyringMissWithDockerHubCredentials, TestKeyringHitWithUnqualifiedDockerHub,
// TestKeyringHitWithUnqualifiedLibraryDockerHub, TestKeyringHitWithQualifiedDockerHub,
// TestIsDefaultRegistryMatch, TestDockerKeyringLookup, TestIssue3797) one for one; the last adds the subtleties
// of design/kubernetes-semantics.md §3 with the normalized names the kubelet really looks up.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { filepathMatch, isDefaultRegistryMatch, keyringLookup, parseKeyringKey, urlsMatch } from '../../server/src/service/workspace/keyring';

/** The sources of the keys that match `image` in a keyring of `keys` (key → source label). */
function lookup(keys: Record<string, string>, image: string): string[] {
  return keyringLookup(Object.entries(keys).map(([written, source]) => ({ written, source })), image).matches.map((m) => m.source);
}

describe('keyring_test.go: TestURLsMatch', () => {
  const cases: [glob: string, target: string, match: boolean][] = [
    // match when there is no path component
    ['*.kubernetes.io', 'prefix.kubernetes.io', true],
    ['prefix.*.io', 'prefix.kubernetes.io', true],
    ['prefix.kubernetes.*', 'prefix.kubernetes.io', true],
    ['*-good.kubernetes.io', 'prefix-good.kubernetes.io', true],
    // match with path components
    ['*.kubernetes.io/blah', 'prefix.kubernetes.io/blah', true],
    ['prefix.*.io/foo', 'prefix.kubernetes.io/foo/bar', true],
    // match with path components and ports
    ['*.kubernetes.io:1111/blah', 'prefix.kubernetes.io:1111/blah', true],
    ['prefix.*.io:1111/foo', 'prefix.kubernetes.io:1111/foo/bar', true],
    // no match when number of parts mismatch
    ['*.kubernetes.io', 'kubernetes.io', false],
    ['*.*.kubernetes.io', 'prefix.kubernetes.io', false],
    ['*.*.kubernetes.io', 'kubernetes.io', false],
    // no match when some parts mismatch
    ['kubernetes.io', 'kubernetes.com', false],
    ['k*.io', 'quay.io', false],
    // no match when ports mismatch
    ['*.kubernetes.io:1234/blah', 'prefix.kubernetes.io:1111/blah', false],
    ['prefix.*.io/foo', 'prefix.kubernetes.io:1111/foo/bar', false],
  ];
  for (const [glob, target, match] of cases) {
    it(`${glob} ${match ? 'matches' : 'does not match'} ${target}`, () => assert.equal(urlsMatch(glob, target), match));
  }
});

describe('keyring_test.go: TestDockerKeyringForGlob (lookup of TARGET/foo/bar)', () => {
  const cases: [glob: string, target: string][] = [
    ['https://hello.kubernetes.io', 'hello.kubernetes.io'],
    ['https://*.docker.io', 'prefix.docker.io'],
    ['https://prefix.*.io', 'prefix.docker.io'],
    ['https://prefix.docker.*', 'prefix.docker.io'],
    ['https://*.docker.io/path', 'prefix.docker.io/path'],
    ['https://prefix.*.io/path', 'prefix.docker.io/path/subpath'],
    ['https://prefix.docker.*/path', 'prefix.docker.io/path'],
    ['https://*.docker.io:8888', 'prefix.docker.io:8888'],
    ['https://prefix.*.io:8888', 'prefix.docker.io:8888'],
    ['https://prefix.docker.*:8888', 'prefix.docker.io:8888'],
    ['https://*.docker.io/path:1111', 'prefix.docker.io/path:1111'],
    ['https://*.docker.io/v1/', 'prefix.docker.io/path:1111'],
    ['https://*.docker.io/v2/', 'prefix.docker.io/path:1111'],
    ['https://prefix.docker.*/path:1111', 'prefix.docker.io/path:1111'],
    ['prefix.docker.io:1111', 'prefix.docker.io:1111/path'],
    ['*.docker.io:1111', 'prefix.docker.io:1111/path'],
  ];
  for (const [glob, target] of cases) {
    it(`${glob} serves ${target}/foo/bar`, () => assert.deepEqual(lookup({ [glob]: 'cred' }, `${target}/foo/bar`), ['cred']));
  }
});

describe('keyring_test.go: TestKeyringMiss (lookup of URL/foo/bar)', () => {
  const cases: [glob: string, lookupUrl: string][] = [
    ['https://hello.kubernetes.io', 'world.mesos.org/foo/bar'],
    ['https://*.docker.com', 'prefix.docker.io'],
    ['https://suffix.*.io', 'prefix.docker.io'],
    ['https://prefix.docker.c*', 'prefix.docker.io'],
    ['https://prefix.*.io/path:1111', 'prefix.docker.io/path/subpath:1111'],
    ['suffix.*.io', 'prefix.docker.io'],
  ];
  for (const [glob, url] of cases) {
    it(`${glob} does not serve ${url}/foo/bar`, () => assert.deepEqual(lookup({ [glob]: 'cred' }, `${url}/foo/bar`), []));
  }
});

describe('keyring_test.go: Docker Hub credentials (https://index.docker.io/v1/)', () => {
  const hub = { 'https://index.docker.io/v1/': 'hub' };
  it('TestKeyringMissWithDockerHubCredentials: not for world.mesos.org/foo/bar', () => assert.deepEqual(lookup(hub, 'world.mesos.org/foo/bar'), []));
  it('TestKeyringHitWithUnqualifiedDockerHub: google/docker-registry', () => {
    const found = keyringLookup([{ written: 'https://index.docker.io/v1/', source: 'hub' }], 'google/docker-registry');
    assert.deepEqual(found.matches.map((m) => m.source), ['hub']);
    assert.equal(found.dockerHubFallback, true);
  });
  it('TestKeyringHitWithUnqualifiedLibraryDockerHub: jenkins', () => assert.deepEqual(lookup(hub, 'jenkins'), ['hub']));
  it('TestKeyringHitWithQualifiedDockerHub: index.docker.io/v1//google/docker-registry', () => {
    // The host matches directly here (same three labels), so it is a direct match, not the fallback.
    const found = keyringLookup([{ written: 'https://index.docker.io/v1/', source: 'hub' }], 'index.docker.io/v1//google/docker-registry');
    assert.deepEqual(found.matches.map((m) => m.source), ['hub']);
    assert.equal(found.dockerHubFallback, false);
  });
});

describe('keyring_test.go: TestIsDefaultRegistryMatch', () => {
  const cases: [image: string, expected: boolean][] = [
    ['foo/bar', true],
    ['docker.io/foo/bar', true],
    ['index.docker.io/foo/bar', true],
    ['foo', true],
    ['', false],
    ['registry.tld/foo/bar', false],
    ['registry:5000/foo/bar', false],
    ['myhostdocker.io/foo/bar', false],
  ];
  for (const [image, expected] of cases) it(JSON.stringify(image), () => assert.equal(isDefaultRegistryMatch(image), expected));
});

describe('keyring_test.go: TestDockerKeyringLookup (bar.example.com/pong → grace, bar.example.com → ada)', () => {
  const keys = { 'bar.example.com/pong': 'grace', 'bar.example.com': 'ada' };
  const cases: [image: string, match: string[]][] = [
    ['bar.example.com', ['ada']], // direct match
    ['bar.example.com/pong', ['grace', 'ada']], // direct match deeper than other possible matches
    ['bar.example.com/ping', ['ada']], // no direct match, deeper path ignored
    ['bar.example.com/pongz', ['grace', 'ada']], // match first part of path token
    ['bar.example.com/pong/pang', ['grace', 'ada']], // match regardless of sub-path
    ['example.com', []], // no host match
    ['foo.example.com', []],
  ];
  for (const [image, match] of cases) it(image, () => assert.deepEqual(lookup(keys, image), match));
});

describe('keyring_test.go: TestIssue3797 (https://quay.io/v1/ serves quay.io images)', () => {
  for (const image of ['quay.io', 'quay.io/foo', 'quay.io/foo/bar']) {
    it(image, () => assert.deepEqual(lookup({ 'https://quay.io/v1/': 'rex' }, image), ['rex']));
  }
});

describe('keys as BasicDockerKeyring.Add indexes them', () => {
  const cases: [written: string, key: string | null][] = [
    ['https://index.docker.io/v1/', 'index.docker.io'],
    ['index.docker.io', 'index.docker.io'],
    ['https://index.docker.io/v2/', 'index.docker.io'],
    ['http://registry.example.com/v2/team', 'registry.example.com/team'],
    ['registry.example.com:5000', 'registry.example.com:5000'],
    ['registry.example.com/', 'registry.example.com'],
    ['registry.example.com/v2', 'registry.example.com/v2'],
    ['ghcr.io/acme', 'ghcr.io/acme'],
    ['https://user@registry.example.com/x', 'registry.example.com/x'],
    ['bad host/x', null],
  ];
  for (const [written, key] of cases) it(`${written} → ${key}`, () => assert.equal(parseKeyringKey(written)?.key ?? null, key));
});

describe('filepath.Match on host labels', () => {
  const cases: [pattern: string, name: string, match: boolean][] = [
    ['*', 'anything', true],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['[a-c]x', 'bx', true],
    ['[^a-c]x', 'bx', false],
    ['[^a-c]x', 'dx', true],
    ['\\*', '*', true],
    ['\\*', 'a', false],
    ['[', 'a', false], // malformed: never matches
    ['[z-a]', 'b', false],
    ['EU', 'eu', false], // case-sensitive, as in Go
  ];
  for (const [pattern, name, match] of cases) it(`${pattern} ~ ${name}: ${match}`, () => assert.equal(filepathMatch(pattern, name), match));
});

describe('matching on normalized names (design/kubernetes-semantics.md §3)', () => {
  const cases: { name: string; keys: Record<string, string>; image: string; match: string[]; fallback?: boolean }[] = [
    { name: 'port as text: 443 is not no port', keys: { 'registry.example.com:443': 's' }, image: 'registry.example.com/app', match: [] },
    { name: 'port as text: no port is not 443', keys: { 'registry.example.com': 's' }, image: 'registry.example.com:443/app', match: [] },
    { name: 'same port', keys: { 'localhost:5000': 's' }, image: 'localhost:5000/app', match: ['s'] },
    { name: 'label count: *.example.com not example.com', keys: { '*.example.com': 's' }, image: 'example.com/app', match: [] },
    { name: 'label count: *.example.com not a.b.example.com', keys: { '*.example.com': 's' }, image: 'a.b.example.com/app', match: [] },
    { name: 'glob per label', keys: { '*.example.com': 's' }, image: 'eu.example.com/app', match: ['s'] },
    { name: 'path is a string prefix: /myorg covers /myorg2', keys: { 'ghcr.io/myorg': 's' }, image: 'ghcr.io/myorg2/app', match: ['s'] },
    { name: 'path prefix mismatch', keys: { 'ghcr.io/myorg': 's' }, image: 'ghcr.io/other/app', match: [] },
    { name: 'Docker Hub fallback for docker.io/library/nginx', keys: { 'https://index.docker.io/v1/': 'hub' }, image: 'docker.io/library/nginx', match: ['hub'], fallback: true },
    { name: 'docker.io key matches directly', keys: { 'docker.io': 'hub' }, image: 'docker.io/library/nginx', match: ['hub'], fallback: false },
    { name: 'fallback only when nothing matched', keys: { 'https://index.docker.io/v1/': 'hub', 'docker.io/library': 'lib' }, image: 'docker.io/library/nginx', match: ['lib'] },
    { name: 'registry-1.docker.io never serves Docker Hub images', keys: { 'registry-1.docker.io': 's' }, image: 'docker.io/library/nginx', match: [] },
    { name: '*.docker.io never serves Docker Hub images', keys: { '*.docker.io': 's' }, image: 'docker.io/library/nginx', match: [] },
    { name: 'no fallback for other registries', keys: { 'https://index.docker.io/v1/': 'hub' }, image: 'ghcr.io/acme/app', match: [] },
    { name: 'most specific key first', keys: { 'registry.example.com': 'host', 'registry.example.com/team': 'team' }, image: 'registry.example.com/team/app', match: ['team', 'host'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const found = keyringLookup(Object.entries(c.keys).map(([written, source]) => ({ written, source })), c.image);
      assert.deepEqual(found.matches.map((m) => m.source), c.match);
      if (c.fallback !== undefined) assert.equal(found.dockerHubFallback, c.fallback);
    });
  }
});
