// The registry cache's expiry and its `version`, which the analysis reads to keep the registry rules' findings.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TtlCache } from '../../server/src/node/registry/ttlCache';

describe('TtlCache', () => {
  it('answers until an entry expires, and its version changes with every change of an answer', () => {
    let now = 1000;
    const cache = new TtlCache<string>(() => now);
    const v0 = cache.version;
    cache.set('a', 'A', 100);
    const v1 = cache.version;
    assert.notEqual(v1, v0);
    assert.equal(cache.get('a'), 'A');
    assert.equal(cache.get('missing'), undefined);
    assert.equal(cache.version, v1, 'reading changes nothing');
    now += 99;
    assert.equal(cache.version, v1);
    assert.equal(cache.get('a'), 'A');
    now += 1;
    const v2 = cache.version;
    assert.notEqual(v2, v1, 'an expiry is a change, even before anyone reads the entry');
    assert.equal(cache.get('a'), undefined);
    assert.equal(cache.version, v2);
    cache.set('b', 'B', 50);
    const v3 = cache.version;
    cache.delete('nothing');
    assert.equal(cache.version, v3, 'deleting what is not there changes nothing');
    cache.delete('b');
    const v4 = cache.version;
    assert.notEqual(v4, v3);
    cache.set('c', 'C', 50);
    cache.clear();
    assert.notEqual(cache.version, v4);
    assert.equal(cache.get('c'), undefined);
  });

  it('a zero time to live stores nothing and changes nothing', () => {
    const cache = new TtlCache<string>(() => 0);
    const v = cache.version;
    cache.set('a', 'A', 0);
    assert.equal(cache.get('a'), undefined);
    assert.equal(cache.version, v);
  });

  it('keeps at most its size, the oldest going first', () => {
    const cache = new TtlCache<number>(() => 0, 2);
    cache.set('a', 1, 10);
    cache.set('b', 2, 10);
    cache.set('c', 3, 10);
    assert.deepEqual([cache.get('a'), cache.get('b'), cache.get('c')], [undefined, 2, 3]);
  });
});
