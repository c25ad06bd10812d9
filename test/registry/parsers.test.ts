/** The small parsers of the registry client and the tag order the pin-to-tag features offer. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseChallenges } from '../../server/src/node/registry/challenge';
import { retryAfterMs } from '../../server/src/node/registry/http';
import { nextLink } from '../../server/src/node/registry/link';
import { parseTag, pinCandidates } from '../../server/src/service/registry/tagOrder';

describe('WWW-Authenticate', () => {
  it('Docker Hub\'s Bearer challenge, with a comma inside a quoted scope', () => {
    assert.deepEqual(parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull,push"'), [
      { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull,push' } },
    ]);
  });

  it('Basic, an error parameter, several challenges, odd spacing and escapes', () => {
    assert.deepEqual(parseChallenges('Basic realm="test"'), [{ scheme: 'basic', params: { realm: 'test' } }]);
    assert.deepEqual(parseChallenges('Bearer realm="r", error="insufficient_scope" , Basic realm="a \\"q\\""'), [
      { scheme: 'bearer', params: { realm: 'r', error: 'insufficient_scope' } },
      { scheme: 'basic', params: { realm: 'a "q"' } },
    ]);
    assert.deepEqual(parseChallenges('bearer realm=https://x/token'), [{ scheme: 'bearer', params: { realm: 'https://x/token' } }]);
    assert.deepEqual(parseChallenges(''), []);
    assert.deepEqual(parseChallenges(null), []);
  });
});

describe('Link', () => {
  const base = new URL('http://r:5000/v2/app/tags/list');
  it('the next page, relative or absolute, among other relations', () => {
    assert.equal(nextLink('</v2/app/tags/list?n=3&last=c>; rel="next"', base)?.href, 'http://r:5000/v2/app/tags/list?n=3&last=c');
    assert.equal(nextLink('<https://other/x>; rel=next', base)?.href, 'https://other/x');
    assert.equal(nextLink('</a>; rel="prev", </b>; rel="next"', base)?.href, 'http://r:5000/b');
    assert.equal(nextLink('</a>; rel="prev"', base), null);
    assert.equal(nextLink(null, base), null);
  });
});

describe('Retry-After', () => {
  it('seconds or an HTTP date', () => {
    assert.equal(retryAfterMs('7', 0), 7000);
    assert.equal(retryAfterMs('Thu, 01 Jan 1970 00:00:30 GMT', 10_000), 20_000);
    assert.equal(retryAfterMs('soon', 0), null);
    assert.equal(retryAfterMs(null, 0), null);
  });
});

describe('tag order for pinning', () => {
  it('splits version, pre-release and variant', () => {
    assert.deepEqual(parseTag('v1.27.2-alpine3.20'), { tag: 'v1.27.2-alpine3.20', version: [1, 27, 2], prerelease: null, variant: '-alpine3.20' });
    assert.deepEqual(parseTag('2.0.0-rc.1-slim'), { tag: '2.0.0-rc.1-slim', version: [2, 0, 0], prerelease: 'rc.1', variant: '-slim' });
    assert.deepEqual(parseTag('latest'), { tag: 'latest', version: null, prerelease: null, variant: 'latest' });
  });

  it('newest first by numbers, not by text; the more specific tag first on a tie', () => {
    assert.deepEqual(pinCandidates(['1.9.1', '1.10.0', '1.2.3', 'latest', '1.10', '1', '2.0.0-rc1', '0.9'], 'latest'), ['1.10.0', '1.10', '1.9.1', '1.2.3', '1', '0.9']);
  });

  it('keeps the variant suffix of the current tag', () => {
    const tags = ['1.27.2', '1.27.2-alpine', '1.26.0-alpine', '1.27.2-alpine-slim', 'alpine', '1.28.0-rc1-alpine', '1.25-alpine'];
    assert.deepEqual(pinCandidates(tags, '1.25-alpine'), ['1.27.2-alpine', '1.26.0-alpine']);
    assert.deepEqual(pinCandidates(tags, 'alpine'), ['1.27.2-alpine', '1.26.0-alpine', '1.25-alpine']);
    assert.deepEqual(pinCandidates(tags, 'stable-alpine'), ['1.27.2-alpine', '1.26.0-alpine', '1.25-alpine']);
    assert.deepEqual(pinCandidates(tags, null), ['1.27.2']);
  });

  it('pre-releases only when the current tag is one', () => {
    assert.deepEqual(pinCandidates(['2.0.0-rc2', '2.0.0-rc10', '1.0.0', '2.0.0'], '2.0.0-rc1'), ['2.0.0', '2.0.0-rc10', '2.0.0-rc2', '1.0.0']);
    assert.deepEqual(pinCandidates(['2.0.0-rc2', '1.0.0'], '0.9.0'), ['1.0.0']);
  });

  it('nothing versioned: nothing to offer', () => {
    assert.deepEqual(pinCandidates(['latest', 'stable', 'edge'], 'latest'), []);
  });
});
