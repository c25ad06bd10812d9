/**
 * Keeps the language server running: when its process dies, it is restarted — up to MAX_RESTARTS times
 * within WINDOW_MS. A server that keeps crashing is left stopped, and the user is told what to do next.
 */
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, type CloseHandlerResult, type ErrorHandler, type ErrorHandlerResult } from 'vscode-languageclient/node';

const MAX_RESTARTS = 5;
const WINDOW_MS = 3 * 60_000;

export class RestartingErrorHandler implements ErrorHandler {
  private crashes: number[] = [];

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly restartCommand: string,
  ) {}

  error(error: Error): ErrorHandlerResult {
    this.log.error(`Connection to the language server failed: ${error.message}`);
    // Never shut down here: when the process is gone, `closed` follows and restarts it. A shutdown would stop the
    // client for good — vscode-languageclient does not ask `closed` once it is stopping — so a server that died
    // while a few requests were being written (or whose pipe reported a read error first) never came back.
    return { action: ErrorAction.Continue, handled: true };
  }

  closed(): CloseHandlerResult {
    const now = Date.now();
    this.crashes = [...this.crashes.filter((t) => now - t < WINDOW_MS), now];
    if (this.crashes.length <= MAX_RESTARTS) {
      this.log.warn(`The language server stopped unexpectedly; restarting it (${this.crashes.length} of ${MAX_RESTARTS} restarts allowed within 3 minutes).`);
      return { action: CloseAction.Restart, handled: true };
    }
    const message = `The Kubernetes Image Lint language server stopped ${this.crashes.length} times in 3 minutes and was not restarted. See its output for the cause, then run "Kubernetes Image Lint: Restart Language Server".`;
    this.log.error(message);
    void vscode.window.showErrorMessage(message, 'Show Output', 'Restart').then((choice) => {
      if (choice === 'Show Output') this.log.show(true);
      else if (choice === 'Restart') {
        this.crashes = [];
        void vscode.commands.executeCommand(this.restartCommand);
      }
    });
    return { action: CloseAction.DoNotRestart, handled: true };
  }
}
