#!/usr/bin/env bash
# Installs code-server (VS Code in a browser, from the npm registry) into a cache folder outside
# the clone, for the extension-host and Chromium tests. Idempotent: a completeness marker is
# written last, so a half-finished install is wiped and redone; with the marker present this
# exits at once. Steps follow shared/guides/real-vscode-here.md.
#
#   scripts/install-code-server.sh            install if missing, print the folder
#   CODE_SERVER_DIR=/some/dir scripts/...     install elsewhere
#   scripts/install-code-server.sh --print    only print the folder
#
# code-server 4.100.3 = VS Code 1.100.3, the last release that runs on Node 20.
set -euo pipefail

VERSION="${CODE_SERVER_VERSION:-4.100.3}"
DIR="${CODE_SERVER_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cognito-access/code-server-$VERSION}"
MARKER="$DIR/.install-complete"

if [[ "${1:-}" == "--print" ]]; then echo "$DIR"; exit 0; fi

log() { echo "install-code-server: $*" >&2; }

# apt packages: headless Chromium for the tests, Debian's ripgrep (code-server's own downloads
# it), kerberos headers for a native module. Skipped when all are present.
need_apt=()
for pkg in chromium ripgrep libkrb5-dev; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need_apt+=("$pkg")
done
if (( ${#need_apt[@]} > 0 )); then
  if [[ "$(id -u)" != 0 ]] && ! command -v sudo >/dev/null; then
    log "missing apt packages ${need_apt[*]} and not root; install them, then rerun"; exit 1
  fi
  SUDO=(); [[ "$(id -u)" == 0 ]] || SUDO=(sudo)
  log "apt-get install ${need_apt[*]}"
  "${SUDO[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# The native modules are built for this Node: a new Node ABI means a new install.
STAMP="$VERSION node-abi-$(node -p process.versions.modules)"
# One install at a time (two test runs may start at once); the second waits, then finds it done.
mkdir -p "$(dirname "$DIR")"
exec 9>"$DIR.lock"
flock 9

if [[ -f "$MARKER" ]] && [[ "$(cat "$MARKER")" == "$STAMP" ]]; then
  log "code-server $VERSION present in $DIR"
  echo "$DIR"
  exit 0
fi

start=$SECONDS
log "installing code-server $VERSION into $DIR (takes a minute or two)"
# Built beside the cache folder and moved in when whole, so a server still running from an old
# install keeps its files and an interrupted install is never mistaken for one.
BUILD="$DIR.partial"
rm -rf "$BUILD"
mkdir -p "$BUILD"
cd "$BUILD"
npm_quiet=(--no-audit --no-fund --loglevel=error)

# 1. the package itself, without its install script (it downloads ripgrep and refuses root).
echo '{"name":"code-server-cache","private":true}' > package.json
npm install "${npm_quiet[@]}" --ignore-scripts "code-server@$VERSION"

# 2. VS Code's own dependencies, then the native modules built for this Node.
VSCODE="$BUILD/node_modules/code-server/lib/vscode"
(
  cd "$VSCODE"
  npm install "${npm_quiet[@]}" --omit=dev --ignore-scripts
  # npm_config_yes lets node-pty's script run `npx node-gyp` without a prompt.
  npm_config_yes=true npm rebuild "${npm_quiet[@]}" kerberos node-pty @parcel/watcher @vscode/spdlog native-watchdog @vscode/deviceid
  # 3. Debian's ripgrep where VS Code looks for it; node_modules.asar is read in place of node_modules.
  mkdir -p node_modules/@vscode/ripgrep/bin
  ln -sfn /usr/bin/rg node_modules/@vscode/ripgrep/bin/rg
  ln -sfn node_modules node_modules.asar
  cd extensions
  npm install "${npm_quiet[@]}" --omit=dev --ignore-scripts
)

# 4. code-server's password hashing module (loaded even with --auth none).
npm_config_yes=true npm rebuild "${npm_quiet[@]}" argon2

# (its config file goes into the cache, not ~/.config)
XDG_CONFIG_HOME="$BUILD/.config" node node_modules/code-server/out/node/entry.js --version >/dev/null
echo "$STAMP" > "$BUILD/.install-complete"
cd "$(dirname "$DIR")"
rm -rf "$DIR.old"
if [[ -e "$DIR" ]]; then mv "$DIR" "$DIR.old"; fi
mv "$BUILD" "$DIR"
rm -rf "$DIR.old"
log "done in $((SECONDS - start))s"
echo "$DIR"
