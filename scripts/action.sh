#!/usr/bin/env bash
# The GitHub Action's step (action.yml): runs the k8s-image-lint CLI on the inputs, as annotations
# (`--format github`) or into a SARIF file for code scanning. Inputs arrive as INPUT_* variables, never pasted
# into the script, so a path or a pattern cannot inject shell code. Exit status: the CLI's (1 when a finding is at
# least as severe as fail-on; 2 for a usage error or an unreadable file).
set -euo pipefail

format="${INPUT_FORMAT:-github}"
case "$format" in
  github|sarif|text) ;;
  *) echo "::error title=k8s-image-lint::format must be github, sarif or text, not \"$format\""; exit 2 ;;
esac

args=(--format "$format")
[[ -n "${INPUT_SEVERITY:-}" ]] && args+=(--severity "$INPUT_SEVERITY")
[[ -n "${INPUT_FAIL_ON:-}" ]] && args+=(--fail-on "$INPUT_FAIL_ON")
[[ -n "${INPUT_CONFIG:-}" ]] && args+=(--config "$INPUT_CONFIG")
# One overlay directory per line.
while IFS= read -r dir; do
  [[ -n "$dir" ]] && args+=(--kustomize "$dir")
done <<< "${INPUT_KUSTOMIZE:-}"
# Paths, one per line (or separated by spaces when they hold none themselves).
paths=()
while IFS= read -r line; do
  [[ -z "$line" ]] && continue
  if [[ -e "$line" ]]; then paths+=("$line"); else read -r -a words <<< "$line"; paths+=("${words[@]}"); fi
done <<< "${INPUT_PATHS:-.}"
if [[ ${#paths[@]} -eq 0 && -z "${INPUT_KUSTOMIZE:-}" ]]; then paths=(.); fi

# The CLI from npm: the action's own version unless `package` names another (a version, a tarball).
package="${INPUT_PACKAGE:-}"
if [[ -z "$package" ]]; then
  package="k8s-image-lint@$(node -p "require(process.argv[1]).version" "${GITHUB_ACTION_PATH:-.}/package.json")"
fi
run() { npx --yes --package="$package" -- k8s-image-lint "$@"; }

status=0
if [[ "$format" == sarif ]]; then
  sarif="${INPUT_SARIF_FILE:-k8s-image-lint.sarif}"
  run "${args[@]}" "${paths[@]}" > "$sarif" || status=$?
  [[ -n "${GITHUB_OUTPUT:-}" ]] && echo "sarif-file=$sarif" >> "$GITHUB_OUTPUT"
else
  run "${args[@]}" "${paths[@]}" || status=$?
fi
exit "$status"
