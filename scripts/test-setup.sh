#!/usr/bin/env bash
# Installs what the test suite needs beyond `npm ci`. Idempotent and quick on a second run.
#   - Debian packages: Chromium (drives VS Code's workbench), Neovim and Emacs with eglot and yaml-mode (the
#     other-editor tests), the build tools and libraries VS Code's native modules are rebuilt with, and
#     docker-registry (the real OCI registry the registry tests start on loopback).
#   - go-yaml as an oracle: Go and Debian's packages of sigs.k8s.io/yaml, gopkg.in/yaml.v2 and v3 build
#     test/oracle/goyaml (never shipped) into the cache below, so tests can ask kubectl's own YAML decoder.
#   - Real VS Code: the VS Code web server shipped in the `code-server` npm package, installed once into a cache
#     outside the repository ($K8S_IMAGE_LINT_E2E_CACHE, default ~/.cache/k8s-image-lint-e2e) as
#     ../shared/recipes/vscode-web-e2e.md describes; a stamp file marks a complete install.
# Needs root for apt-get (uses sudo when not root).
set -euo pipefail

node -e 'const [major] = process.versions.node.split(".").map(Number); if (major < 20) { console.error("Node 20 or newer is required (found " + process.version + ")."); process.exit(1); }'

CODE_SERVER_VERSION=4.100.3
CACHE="${K8S_IMAGE_LINT_E2E_CACHE:-$HOME/.cache/k8s-image-lint-e2e}"
STAMP="$CACHE/.complete-$CODE_SERVER_VERSION"
APT_PACKAGES=(
  chromium fonts-liberation fonts-dejavu-core fonts-noto-color-emoji
  neovim
  emacs-nox elpa-eglot elpa-yaml-mode
  build-essential python3 pkg-config libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev ripgrep
  docker-registry
  golang-go golang-gopkg-yaml.v2-dev golang-gopkg-yaml.v3-dev golang-k8s-sigs-yaml-dev golang-github-masterminds-sprig-dev
  pre-commit git
)
NPM_QUIET=(--no-audit --no-fund --loglevel=error)

log() { echo "test:setup: $*"; }

# ---- Debian packages ---------------------------------------------------------------------------------------
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=(); elif command -v sudo >/dev/null; then SUDO=(sudo); else
    echo "test:setup: these Debian packages are missing and installing them needs root or sudo: ${missing[*]}" >&2
    exit 1
  fi
  log "installing ${missing[*]}"
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  log "Debian packages: ok"
fi

# ---- VS Code's web server (code-server's lib/vscode), cached outside the repository ---------------------------
if [ -f "$STAMP" ] && [ -f "$CACHE/node_modules/code-server/lib/vscode/out/server-main.js" ]; then
  log "VS Code server (code-server $CODE_SERVER_VERSION): ok, cached in $CACHE"
else
  log "installing the VS Code server (code-server $CODE_SERVER_VERSION) into $CACHE (once; a few minutes)"
  mkdir -p "$CACHE"
  npm install --prefix "$CACHE" --ignore-scripts "${NPM_QUIET[@]}" "code-server@$CODE_SERVER_VERSION"
  (
    cd "$CACHE/node_modules/code-server/lib/vscode"
    # Its postinstall would download ripgrep, which these machines cannot: skip scripts and use Debian's rg.
    npm install --omit=dev --ignore-scripts "${NPM_QUIET[@]}"
    mkdir -p node_modules/@vscode/ripgrep/bin
    ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
    npm_config_yes=true npm rebuild "${NPM_QUIET[@]}" kerberos node-pty @parcel/watcher @vscode/deviceid @vscode/spdlog native-watchdog
    ln -sfn node_modules node_modules.asar
    cd extensions && npm install --omit=dev --ignore-scripts "${NPM_QUIET[@]}"
  )
  touch "$STAMP"
  log "VS Code server installed"
fi

# ---- go-yaml oracle (kubectl's YAML decoder), rebuilt each time: a second or two ------------------------------
mkdir -p "$CACHE"
GOCACHE="${GOCACHE:-$CACHE/go-build}" GO111MODULE=off GOPATH=/usr/share/gocode \
  go build -o "$CACHE/goyaml-oracle" ./test/oracle/goyaml
log "go-yaml oracle: built ($CACHE/goyaml-oracle)"
# Helm's template engine (text/template + Sprig + Helm's functions) for the chart tests.
GOCACHE="${GOCACHE:-$CACHE/go-build}" GO111MODULE=off GOPATH=/usr/share/gocode \
  go build -o "$CACHE/helmtpl-oracle" ./test/oracle/helmtpl
log "Helm template oracle: built ($CACHE/helmtpl-oracle)"

log "ok (node $(node --version), $(nvim --version | head -1), $(emacs --version | head -1), $(chromium --version 2>/dev/null | head -1))"
