import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Debouncer } from '../../server/src/lsp/debouncer';

describe('Debouncer', () => {
  it('after dispose, nothing scheduled runs, not even what is scheduled later (a scan ending after shutdown)', async () => {
    const d = new Debouncer(5);
    const ran: string[] = [];
    d.schedule('a', () => ran.push('a'));
    d.dispose();
    d.schedule('b', () => ran.push('b'));
    await new Promise((r) => setTimeout(r, 30));
    assert.deepEqual(ran, []);
  });
  it('runs once, after the last call for a key', async () => {
    const d = new Debouncer(5);
    const ran: number[] = [];
    for (let i = 0; i < 3; i++) d.schedule('k', () => ran.push(i));
    await new Promise((r) => setTimeout(r, 30));
    assert.deepEqual(ran, [2]);
  });
});
