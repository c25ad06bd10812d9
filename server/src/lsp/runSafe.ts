import { CancellationToken, LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';

/** Where runSafe reports a handler's failure: the connection console in the server, anything in tests. */
export interface ErrorLog {
  error(message: string): void;
}

/**
 * Runs one request or notification handler so that nothing it does can take the server down: an exception
 * (or a rejected promise) is logged with the handler's name and answered with `neutral`; a request the
 * client cancelled — before it started or while it awaited settings — is answered with RequestCancelled.
 * The work starts on the next turn of the event loop, so a `$/cancelRequest` sent right after the request
 * is seen before any analysis runs (the same shape as VS Code's CSS server `utils/runner.ts`).
 *
 * @example connection.onHover((p, token) => runSafe(log, 'hover', null, token, () => hoverAt(p)))
 */
export function runSafe<T>(
  log: ErrorLog,
  name: string,
  neutral: T,
  token: CancellationToken | undefined,
  work: () => T | Promise<T>,
): Promise<T | ResponseError<never>> {
  return new Promise((resolve) => {
    setImmediate(async () => {
      if (token?.isCancellationRequested) return resolve(cancelled());
      try {
        const result = await work();
        resolve(token?.isCancellationRequested ? cancelled() : result);
      } catch (e) {
        log.error(describeError(name, e));
        resolve(neutral);
      }
    });
  });
}

/** The same protection for notifications and timers, which have nobody to answer. */
export function runSafeVoid(log: ErrorLog, name: string, work: () => void | Promise<void>): void {
  void runSafe(log, name, undefined, undefined, work);
}

function cancelled(): ResponseError<never> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'The request was cancelled.');
}

function describeError(name: string, e: unknown): string {
  const detail = e instanceof Error ? e.stack ?? e.message : String(e);
  return `k8s-image-lint: ${name} failed: ${detail}`;
}
