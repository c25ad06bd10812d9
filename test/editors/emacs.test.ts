/**
 * Emacs's eglot against the language server over stdio, configured with the README's snippet verbatim (paths
 * aside): Debian's Emacs 28 with elpa-eglot and elpa-yaml-mode, in batch mode. An Elisp harness opens the
 * manifest, waits for flymake to show eglot's diagnostics and writes them out.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { editorVersion, inTempDir, runEditor } from './editorProcess';
import { EXPECTED, MANIFEST, readmeSnippet } from './readmeSnippets';

const EMACS = process.env.EMACS_BIN || 'emacs';

// Debian installs elpa-* packages for package.el; batch mode neither runs post-command-hook (where
// eglot-ensure connects) nor flymake's idle timers unless it waits, hence the explicit steps.
const HARNESS = (file: string, out: string): string => `
(require 'package)
(add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
(package-initialize)
(require 'yaml-mode)
;; What yaml-mode's autoloads do in a normal session.
(add-to-list 'auto-mode-alist '("\\\\.ya?ml\\\\'" . yaml-mode))
(require 'eglot)
(load-file "config.el")
(setq eglot-sync-connect 10)
(find-file ${JSON.stringify(file)})
(run-hooks 'post-command-hook)
(let ((deadline (+ (float-time) 30)))
  (while (and (< (float-time) deadline)
              (not (and (eglot-current-server) (flymake-diagnostics))))
    (accept-process-output nil 0.1)
    (when (and (eglot-current-server) (not (flymake-running-backends))) (flymake-start))))
(defun k8s-image-lint-test-position (pos)
  (save-excursion (goto-char pos) (format "%d:%d" (1- (line-number-at-pos)) (current-column))))
;; Encoded in the manifest's buffer (with-temp-file switches to a buffer of its own).
(defvar k8s-image-lint-test-result
  (json-encode
   (list (cons 'server (if (eglot-current-server) t :json-false))
         (cons 'mode (symbol-name major-mode))
         (cons 'diagnostics
               (vconcat
                (mapcar (lambda (d)
                          (list (cons 'start (k8s-image-lint-test-position (flymake-diagnostic-beg d)))
                                (cons 'end (k8s-image-lint-test-position (flymake-diagnostic-end d)))
                                (cons 'type (symbol-name (flymake-diagnostic-type d)))
                                (cons 'text (flymake-diagnostic-text d))))
                        (flymake-diagnostics)))))))
(with-temp-file ${JSON.stringify(out)} (insert k8s-image-lint-test-result))
(kill-emacs 0)
`;

const version = editorVersion(EMACS);

test(`Emacs (${version ?? 'missing'}) eglot with the README's configuration gets the diagnostics`, { timeout: 90_000 }, async () => {
  if (!version) throw new Error(`Emacs is not installed (${EMACS}); run \`npm run test:setup\``);
  await inTempDir('k8s-image-lint-emacs-', async (dir) => {
    const out = join(dir, 'result.json');
    writeFileSync(join(dir, 'config.el'), readmeSnippet('elisp', 'eglot-server-programs'));
    writeFileSync(join(dir, 'deployment.yaml'), MANIFEST);
    writeFileSync(join(dir, 'harness.el'), HARNESS(join(dir, 'deployment.yaml'), out));
    const { code, output } = await runEditor(EMACS, ['-Q', '--batch', '-l', 'harness.el'], { cwd: dir, env: { ...process.env, HOME: dir } });
    assert.ok(existsSync(out), `Emacs wrote no result (exit ${code}): ${output.slice(-2000)}`);
    const r = JSON.parse(readFileSync(out, 'utf8')) as { server: boolean; mode: string; diagnostics: { start: string; end: string; type: string; text: string }[] };
    assert.equal(r.mode, 'yaml-mode');
    assert.equal(r.server, true, `eglot connected: ${output.slice(-2000)}`);
    const byRule = (d: { text: string }): string => EXPECTED.map((e) => e.split(' ')[0]).find((id) => d.text.includes(id)) ?? `? ${d.text}`;
    const got = r.diagnostics.map((d) => `${byRule(d)} ${d.start}-${d.end}`).sort();
    assert.deepEqual(got, EXPECTED, JSON.stringify(r.diagnostics, null, 1));
    const types = Object.fromEntries(r.diagnostics.map((d) => [byRule(d), d.type]));
    assert.deepEqual(types, { 'latest-tag': 'eglot-warning', 'implicit-pull-policy': 'eglot-note', 'invalid-pull-policy': 'eglot-error' });
  });
});
