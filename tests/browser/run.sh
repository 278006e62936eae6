#!/usr/bin/env bash
# The browser test: every console URL of `console-url demo` opened in headless Chromium.
# Installs what it needs: Debian's chromium (as root, when missing), the pinned playwright-core
# (npm ci), console-url with the demo feature. Screenshots go to target/browser-artifacts/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"

chromium="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Debian's chromium is needed at $chromium (apt-get install chromium)" >&2
    exit 1
  fi
fi

(cd "$here" && npm ci --no-audit --no-fund --silent)
cargo build --quiet --manifest-path "$root/Cargo.toml" -p console-cli --features demo

export CONSOLE_URL="$target/debug/console-url"
export ARTIFACTS="${ARTIFACTS:-$target/browser-artifacts}"
export CHROMIUM="$chromium"
cd "$here" && exec node consoles.mjs
