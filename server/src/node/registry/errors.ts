import type { RegistryError, RegistryErrorKind } from '../../service/registry/types';

/** A lookup that cannot succeed; thrown inside the client, returned as a `RegistryError` at its edge. */
export class RegistryFailure extends Error {
  /** Set when the failure was already reported (onFailure) by the lookup it came from. */
  reported = false;

  constructor(readonly kind: RegistryErrorKind, message: string) {
    super(message);
    this.name = 'RegistryFailure';
  }

  toError(): RegistryError {
    return { kind: this.kind, message: this.message };
  }
}

const OFFLINE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/** Turns whatever `fetch` threw into a failure a user can act on. `host` is the host that was being contacted. */
export function fetchFailure(e: unknown, host: string, timeoutMs: number, https: boolean): RegistryFailure {
  if (e instanceof RegistryFailure) return e;
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string; name?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError' || err?.cause?.name === 'TimeoutError' || err?.cause?.code === 'UND_ERR_CONNECT_TIMEOUT' || err?.cause?.code === 'UND_ERR_HEADERS_TIMEOUT' || err?.cause?.code === 'UND_ERR_BODY_TIMEOUT') {
    return new RegistryFailure('timeout', `${host} did not answer within ${timeoutMs} ms (the registry.timeoutMs setting); it may be slow or unreachable.`);
  }
  const code = err?.cause?.code ?? '';
  if (https && (code.startsWith('ERR_SSL') || code === 'EPROTO' || /SSL|TLS|wrong version/i.test(err?.cause?.message ?? ''))) {
    return new RegistryFailure('offline', `Cannot talk HTTPS to ${host} (${code || 'TLS error'}). If it is a local registry that serves plain HTTP, add "${host}" to registry.insecure.`);
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code)) {
    return new RegistryFailure('offline', `The TLS certificate of ${host} is not trusted (${code}). Trust its CA (NODE_EXTRA_CA_CERTS) to look it up.`);
  }
  if (OFFLINE_CODES.has(code)) {
    const what = code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'the name does not resolve' : code === 'ECONNREFUSED' ? 'the connection was refused' : 'the connection failed';
    return new RegistryFailure('offline', `Cannot reach ${host}: ${what} (${code}). Check the network connection, proxy or registry address.`);
  }
  return new RegistryFailure('offline', `Cannot reach ${host} (${code || err?.cause?.message || err?.message || 'network error'}). Check the network connection, proxy or registry address.`);
}
