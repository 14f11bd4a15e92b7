#!/usr/bin/env bash
# Installs unmodified SillyTavern from the npm registry into its own folder, for the bridge's
# end-to-end test. Idempotent: an existing complete install is kept.
#   scripts/install-sillytavern.sh [version]     (default 1.19.0; folder printed on stdout)
set -euo pipefail
version="${1:-1.19.0}"
root="${SILLYTAVERN_CACHE:-$HOME/.cache/pecktra}"
dir="$root/sillytavern-$version"
marker="$dir/.pecktra-installed"

if [ -f "$marker" ] && [ -f "$dir/node_modules/sillytavern/server.js" ]; then
  echo "$dir/node_modules/sillytavern"
  exit 0
fi

mkdir -p "$dir"
cd "$dir"
[ -f package.json ] || printf '{"name":"sillytavern-host","private":true}\n' >package.json
# SillyTavern's own dependencies come with it; its optional post-install steps are not needed to run.
npm install --no-audit --no-fund --no-save --omit=dev "sillytavern@$version" >&2
touch "$marker"
echo "$dir/node_modules/sillytavern"
