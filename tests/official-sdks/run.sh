#!/usr/bin/env bash
# The official SDKs against console-sim: creates (or reuses) a virtual environment from the
# pinned requirements, builds the emulator, and runs the pytest suite. Extra arguments go to
# pytest (for example `-k tencent`).
#
#   run.sh vectors [--check]   (re)writes fixtures/signing/*.json with the SDKs' own signing
#                              code, or fails when they are stale
#   run.sh regions [--check]   (re)writes the providers' region tables from the SDKs' own
#                              data (crates/console-*/src/regions/table.rs), or fails when stale
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
venv="${OFFICIAL_SDKS_VENV:-$target/official-sdks-venv}"

# The venv is rebuilt when the pinned requirements change, reused otherwise.
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  echo "$want" > "$stamp"
fi

if [ "${1:-}" = vectors ]; then
  shift
  exec "$venv/bin/python" "$here/signing_vectors.py" "$@"
fi
if [ "${1:-}" = regions ]; then
  shift
  exec "$venv/bin/python" "$here/region_tables.py" "$@"
fi

(cd "$root" && cargo build --quiet -p console-sim --bin console-sim -p console-cli --bin console-url)
export CONSOLE_SIM="$target/debug/console-sim"
# The CLI, for the tests that run it next to an official client on the same configuration.
export CONSOLE_URL="$target/debug/console-url"
cd "$here"
exec "$venv/bin/python" -m pytest -q -p no:cacheprovider "$@"
