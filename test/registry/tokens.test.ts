/**
 * Tokens stay home: a token request redirected to another origin is not sent on (its body holds the refresh
 * token), error text a registry echoes is redacted, a realm over plain HTTP gets no credentials when the registry
 * speaks HTTPS, and Retry-After is capped at an hour.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { RegistryHttp, MAX_RETRY_AFTER_MS } from '../../server/src/node/registry/http';
import { redactCredentials } from '../../server/src/node/registry/client';
import { RegistryFailure } from '../../server/src/node/registry/errors';
import { startServer, type TestServer } from './support/httpServer';
import { Authenticator, newAttempt } from '../../server/src/node/registry/auth';

const servers: TestServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

describe('tokens stay home', () => {
  it('a token POST redirected to another origin is not sent on: the refresh token never leaves', async () => {
    const elsewhere = await startServer((_, res) => void res.end('{}'));
    const realm = await startServer((_, res) => {
      res.statusCode = 307;
      res.setHeader('Location', `${elsewhere.origin}/token`);
      res.end();
    });
    servers.push(elsewhere, realm);
    const http = new RegistryHttp();
    await assert.rejects(
      http.send({ method: 'POST', url: `${realm.origin}/token`, body: 'grant_type=refresh_token&refresh_token=SECRET-REFRESH', headers: {} }, { timeoutMs: 3000, insecure: [realm.host, elsewhere.host] }),
      (e: unknown) => e instanceof RegistryFailure && /redirected a token request to another host/.test(e.message),
    );
    assert.equal(realm.requests.length, 1);
    assert.deepEqual(elsewhere.requests, [], 'nothing reached the other host');
  });

  it('a plain-HTTP token realm of an HTTPS registry gets no credentials, even when its host is in registry.insecure', async () => {
    const realm = await startServer((_, res) => void res.end('{"token": "t"}'));
    servers.push(realm);
    const store = { get: async () => ({ kind: 'basic' as const, username: 'robot', password: 'SECRET-PASSWORD', source: 'test' }) };
    const auth = new Authenticator(new RegistryHttp(), store, Date.now);
    const target = { endpoint: { domain: 'registry.example.com', base: 'https://registry.example.com', host: 'registry.example.com' }, scope: 'repository:team/app:pull', policy: { timeoutMs: 3000, insecure: [realm.host] } };
    await assert.rejects(
      auth.answer(target, `Bearer realm="${realm.origin}/token",service="registry.example.com",scope="repository:team/app:pull"`, newAttempt()),
      (e: unknown) => e instanceof RegistryFailure && /over plain HTTP .*credentials are not sent there/.test(e.message),
    );
    assert.deepEqual(realm.requests, [], 'the realm received nothing');
  });

  it('Retry-After is capped at an hour', async () => {
    const limited = await startServer((_, res) => {
      res.statusCode = 429;
      res.setHeader('Retry-After', String(365 * 24 * 3600));
      res.end();
    });
    servers.push(limited);
    let now = 1_000_000;
    const http = new RegistryHttp({ now: () => now, maxRetryWaitMs: 10 });
    const policy = { timeoutMs: 3000, insecure: [limited.host] };
    await assert.rejects(http.send({ method: 'GET', url: `${limited.origin}/v2/`, headers: {} }, policy), /rate-limiting/);
    now += MAX_RETRY_AFTER_MS + 1;
    await assert.rejects(http.send({ method: 'GET', url: `${limited.origin}/v2/`, headers: {} }, policy), /rate-limiting/);
    assert.equal(limited.requests.length, 2, 'asked again after an hour, not after a year');
  });

  it('registry error text is redacted where it may echo credentials', () => {
    const cases: [string, string][] = [
      ['bad header Authorization: Basic dXNlcjpwYXNz', 'bad header Authorization: [redacted]'],
      ['token Bearer eyJhbGciOiJSUzI1NiJ9.x.y rejected', 'token Bearer [redacted] rejected'],
      ['GET https://robot:s3cret@registry.example.com/v2/ failed', 'GET https://[redacted]@registry.example.com/v2/ failed'],
      ['form refresh_token=abcdef123&scope=x', 'form refresh_token=[redacted]&scope=x'],
      ['{"token": "abc.def"}', '{"token": "[redacted]"}'],
      ['manifest unknown', 'manifest unknown'],
    ];
    for (const [input, expected] of cases) assert.equal(redactCredentials(input), expected, input);
  });
});
