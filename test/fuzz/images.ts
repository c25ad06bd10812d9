/**
 * Image references drawn from a grammar that mixes what the kubelet accepts with what it rejects: registries
 * (ports, IPv6, uppercase hosts), repository paths (separators, uppercase, over-long), tags (mutable, `latest`,
 * over 128 characters), digests (sha256/384/512, wrong length, uppercase hex, unknown algorithms), 64-hex
 * image ids, surrounding whitespace, non-ASCII and template actions.
 */
import fc from 'fast-check';

const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });

const registry = fc.oneof(
  { weight: 6, arbitrary: fc.constant('') },
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      'docker.io', 'index.docker.io', 'registry-1.docker.io', 'ghcr.io', 'quay.io', 'gcr.io', 'registry.k8s.io', 'public.ecr.aws',
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com', 'registry.example.com', 'registry.example.com:443', 'localhost',
      'localhost:5000', '127.0.0.1:5000', 'my-registry.local', 'REGISTRY.EXAMPLE.COM', 'Registry.io:8080',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom('[::1]', '[::1]:5000', '[fe80::1]:443', '[2001:db8::1]', '[fe80::1%eth0]:5000', '[::1', 'host:port', '-bad.io', 'a..b', 'bad_host.io:5000', 'ñ.io'),
  },
);

const component = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('nginx', 'library', 'acme', 'app', 'my_app', 'a.b', 'a__b', 'a--b', 'busybox', 'redis', 'x', 'team', 'sub-team', '0', 'k8s') },
  { weight: 2, arbitrary: fc.constantFrom('Nginx', 'APP', 'mixedCase', '-bad', 'bad-', 'a..b', 'a___b', '_x', 'a b', 'ñginx', 'app😀', '') },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9]{1,8}(?:[._-][a-z0-9]{1,8}){0,2}$/) },
);

const path = fc.oneof(
  { weight: 10, arbitrary: fc.array(component, { minLength: 1, maxLength: 4 }).map((cs) => cs.join('/')) },
  // Over the 255-character path limit, or just under it.
  { weight: 1, arbitrary: fc.integer({ min: 240, max: 300 }).map((n) => 'a'.repeat(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 20, max: 80 }).map((n) => Array.from({ length: n }, (_, i) => `p${i}`).join('/')) },
);

const tag = fc.oneof(
  { weight: 5, arbitrary: fc.constant('') },
  { weight: 6, arbitrary: fc.constantFrom(':latest', ':1.27', ':1.27.2', ':v1.2.3-rc.1', ':stable', ':nightly', ':main', ':alpine', ':3', ':1.0_beta') },
  { weight: 2, arbitrary: fc.constantFrom(':LATEST', ':Latest', ':Nightly', ':', ':-bad', ':.bad', ':bad tag', ':ñ', ':a@b', '::1', ':{{ .Values.tag }}') },
  { weight: 1, arbitrary: fc.integer({ min: 120, max: 135 }).map((n) => `:${'t'.repeat(n)}`) },
  { weight: 1, arbitrary: fc.stringMatching(/^:[A-Za-z0-9_][A-Za-z0-9_.-]{0,12}$/) },
);

const digest = fc.oneof(
  { weight: 8, arbitrary: fc.constant('') },
  { weight: 4, arbitrary: hex(64).map((h) => `@sha256:${h}`) },
  { weight: 1, arbitrary: hex(96).map((h) => `@sha384:${h}`) },
  { weight: 1, arbitrary: hex(128).map((h) => `@sha512:${h}`) },
  {
    weight: 2,
    arbitrary: fc.oneof(
      hex(63).map((h) => `@sha256:${h}`),
      hex(65).map((h) => `@sha256:${h}`),
      hex(64).map((h) => `@sha256:${h.toUpperCase()}`),
      hex(32).map((h) => `@md5:${h}`),
      hex(64).map((h) => `@sha256+b64:${h}`),
      hex(64).map((h) => `@SHA256:${h}`),
      fc.constantFrom('@sha256:', '@', '@sha256:xyz', '@@sha256:abc'),
    ),
  },
);

const whitespace = fc.constantFrom('', '', '', '', '', ' ', '\t', '  ', '\u00a0');

/** One image reference string, valid or not, composed part by part. */
export const composedImage: fc.Arbitrary<string> = fc
  .tuple(whitespace, registry, path, tag, digest, whitespace)
  .map(([lead, reg, p, t, d, trail]) => `${lead}${reg ? `${reg}/` : ''}${p}${t}${d}${trail}`);

/** Anything that may stand after `image:`: composed references, ids, templates, odd strings. */
export const imageString: fc.Arbitrary<string> = fc.oneof(
  { weight: 20, arbitrary: composedImage },
  { weight: 1, arbitrary: hex(64) },
  { weight: 1, arbitrary: hex(64).map((h) => `sha256:${h}`) },
  { weight: 1, arbitrary: fc.constantFrom('{{ .Values.image }}', '{{ .Values.image.repository }}:{{ .Values.image.tag }}', 'nginx:{{ .Chart.AppVersion }}', '${IMAGE}', '$(IMAGE)') },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'latest', ':latest', '@sha256:abc', '/', 'nginx/', '/nginx', 'nginx//x', 'http://nginx', 'nginx:latest ', '\tnginx') },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
);
