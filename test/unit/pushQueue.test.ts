// Pushed diagnostics at once when idle, coalesced while a document's push is running (server/src/lsp/pushQueue.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PushQueue } from '../../server/src/lsp/pushQueue';

const turn = () => new Promise((r) => setImmediate(r));

describe('PushQueue', () => {
  it('starts a push on the next turn, with no delay', async () => {
    const q = new PushQueue();
    const ran: string[] = [];
    q.schedule('a', async () => void ran.push('a'));
    assert.deepEqual(ran, [], 'not inside the handler that asked');
    await turn();
    assert.deepEqual(ran, ['a']);
  });

  it('a document asked for while its push runs is pushed once more, with the latest push', async () => {
    const q = new PushQueue();
    const ran: string[] = [];
    let release!: () => void;
    q.schedule('a', () => new Promise<void>((r) => {
      ran.push('first');
      release = r;
    }));
    await turn();
    for (const n of ['second', 'third', 'fourth']) q.schedule('a', async () => void ran.push(n));
    release();
    for (let i = 0; i < 5; i++) await turn();
    assert.deepEqual(ran, ['first', 'fourth']);
  });

  it('documents do not wait for each other, a failing push stops nothing, and cancel and dispose drop what waits', async () => {
    const q = new PushQueue();
    const ran: string[] = [];
    let release!: () => void;
    q.schedule('big', () => new Promise<void>((r) => (release = r)));
    q.schedule('small', async () => {
      ran.push('small');
      throw new Error('boom');
    });
    await turn();
    assert.deepEqual(ran, ['small'], 'the other document went ahead');
    q.schedule('small', async () => void ran.push('small again'));
    await turn();
    assert.deepEqual(ran, ['small', 'small again']);
    q.schedule('big', async () => void ran.push('big again'));
    q.cancel('big');
    release();
    for (let i = 0; i < 3; i++) await turn();
    assert.deepEqual(ran, ['small', 'small again']);
    q.dispose();
    q.schedule('small', async () => void ran.push('after dispose'));
    await turn();
    assert.deepEqual(ran, ['small', 'small again']);
  });
});
