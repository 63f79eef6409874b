#!/usr/bin/env bash
# Builds libstructchunk_treesitter.so: the tree-sitter C runtime and every grammar pinned in grammars.json, compiled
# from their npm tarballs into one shared library, plus each grammar's tags.scm for embedding.
#
#   build-native.sh MANIFEST OUT_DIR
#
# OUT_DIR (the project's obj/native/) receives:
#   npm/<package>-<version>.tgz    tarballs, fetched with `npm pack` (never `npm install`: the packages have install
#                                  scripts) and checked against the manifest's sha512 integrity before use
#   src/<package>-<version>/       the extracted tarballs
#   o/<key>/*.o                    objects; <key> hashes this script, so changed flags rebuild everything
#   queries/<language>.tags.scm    the grammars' tag queries
#   libstructchunk_treesitter.so   the library, written last (MSBuild compares its time with the inputs')
#
# Needs node and npm (fetch, integrity check, manifest), gcc (and g++ if a grammar has a scanner.cc), tar.
# Compiles two files at a time (STRUCTCHUNK_NATIVE_JOBS overrides). Only linux-x64 is built (see README).
set -euo pipefail

manifest="${1:?usage: build-native.sh MANIFEST OUT_DIR}"
out="${2:?usage: build-native.sh MANIFEST OUT_DIR}"
jobs="${STRUCTCHUNK_NATIVE_JOBS:-2}"
library="libstructchunk_treesitter.so"
cflags=(-O2 -fPIC -std=c11 -D_DEFAULT_SOURCE -w)
cxxflags=(-O2 -fPIC -D_DEFAULT_SOURCE -w)

fail() { echo "build-native.sh: error: $*" >&2; exit 1; }

require() {
  command -v "$1" >/dev/null 2>&1 || fail "'$1' was not found on PATH. $2"
}

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) ;;
  *) fail "only linux-x64 is supported for now (this is $(uname -s)-$(uname -m)); see src/StructuralChunking.TreeSitter/README.md." ;;
esac

require node "The tree-sitter native build reads its manifest and checks package integrity with Node.js (apt-get install nodejs)."
require npm "The tree-sitter grammars are fetched from the npm registry with 'npm pack' (apt-get install npm)."
require gcc "The tree-sitter runtime and grammars are C sources compiled with gcc (apt-get install gcc)."
require tar "Needed to extract the npm tarballs."

manifest="$(cd "$(dirname "$manifest")" && pwd)/$(basename "$manifest")"
script_key="$( (cat "$0"; echo "${cflags[*]} ${cxxflags[*]}") | sha1sum | cut -c1-12)"
mkdir -p "$out/npm" "$out/src" "$out/o/$script_key" "$out/queries"
out="$(cd "$out" && pwd)"
objects="$out/o/$script_key"

# One line per package: package version integrity, then the lines the rest of the script needs.
plan="$(node - "$manifest" <<'NODE'
const fs = require("fs");
const m = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const line = (...xs) => console.log(xs.join("\t"));
const rt = m.runtime;
line("package", rt.package, rt.version, rt.integrity);
line("runtime", rt.package, rt.version, rt.source, rt.include.join(":"));
for (const g of m.grammars) {
  line("package", g.package, g.version, g.integrity);
  for (const l of g.languages) {
    line("grammar", g.package, g.version, l.id, l.symbol, l.path, l.tags.join(":"));
  }
}
NODE
)"

# Fetch and verify.
while IFS=$'\t' read -r kind package version integrity _; do
  [ "$kind" = package ] || continue
  tarball="$out/npm/$package-$version.tgz"
  dir="$out/src/$package-$version"
  if [ ! -f "$tarball" ]; then
    echo "build-native.sh: npm pack $package@$version"
    tmp="$(mktemp -d "$out/npm/.pack.XXXXXX")"
    name="$(cd "$tmp" && npm pack --silent --ignore-scripts "$package@$version" | tail -n 1)" ||
      fail "'npm pack $package@$version' failed (is the npm registry reachable?)."
    mv "$tmp/$name" "$tarball"
    rm -rf "$tmp"
  fi
  actual="$(node -e '
    const c = require("crypto"), fs = require("fs");
    process.stdout.write("sha512-" + c.createHash("sha512").update(fs.readFileSync(process.argv[1])).digest("base64"));
  ' "$tarball")"
  if [ "$actual" != "$integrity" ]; then
    rm -f "$tarball"
    fail "$package@$version: integrity mismatch (manifest $integrity, tarball $actual); the tarball was deleted."
  fi
  if [ ! -f "$dir/.extracted" ]; then
    rm -rf "$dir"
    mkdir -p "$dir"
    tar xzf "$tarball" -C "$dir" --strip-components=1
    touch "$dir/.extracted"
  fi
done <<< "$plan"

# Compile: one job per source file, at most $jobs at a time. Objects already built by this script version are kept.
joblist="$(mktemp)"
trap 'rm -f "$joblist"' EXIT
object_list=()
needs_cxx=0
add_job() { # compiler object source include...
  local compiler="$1" object="$2" source="$3"
  shift 3
  object_list+=("$object")
  [ "$compiler" = g++ ] && needs_cxx=1
  if [ ! -f "$object" ] || [ "$source" -nt "$object" ]; then
    local flags=("${cflags[@]}")
    [ "$compiler" = g++ ] && flags=("${cxxflags[@]}")
    local args=("$compiler" "${flags[@]}")
    for include in "$@"; do args+=("-I$include"); done
    args+=(-c "$source" -o "$object")
    printf '%q ' "${args[@]}" >> "$joblist"
    printf '\n' >> "$joblist"
  fi
}

while IFS=$'\t' read -r kind package version a b c d; do
  dir="$out/src/$package-$version"
  case "$kind" in
    runtime)
      includes=()
      IFS=: read -r -a parts <<< "$b"
      for part in "${parts[@]}"; do includes+=("$dir/$part"); done
      add_job gcc "$objects/$package-$version.runtime.o" "$dir/$a" "${includes[@]}"
      ;;
    grammar)
      id="$a" symbol="$b" path="$c" tags="$d"
      src="$dir/$path/src"
      [ -f "$src/parser.c" ] || fail "$package@$version: no $path/src/parser.c."
      grep -q "$symbol(void)" "$src/parser.c" || fail "$package@$version: $path/src/parser.c does not define $symbol."
      add_job gcc "$objects/$id.parser.o" "$src/parser.c" "$src"
      if [ -f "$src/scanner.c" ]; then
        add_job gcc "$objects/$id.scanner.o" "$src/scanner.c" "$src"
      elif [ -f "$src/scanner.cc" ]; then
        add_job g++ "$objects/$id.scanner.o" "$src/scanner.cc" "$src"
      fi
      : > "$out/queries/$id.tags.scm.tmp"
      IFS=: read -r -a parts <<< "$tags"
      for part in "${parts[@]}"; do
        [ -f "$dir/$part" ] || fail "$package@$version: no $part."
        cat "$dir/$part" >> "$out/queries/$id.tags.scm.tmp"
        printf '\n' >> "$out/queries/$id.tags.scm.tmp"
      done
      mv "$out/queries/$id.tags.scm.tmp" "$out/queries/$id.tags.scm"
      ;;
  esac
done <<< "$plan"

if [ "$needs_cxx" = 1 ]; then
  require g++ "A grammar has a C++ external scanner (scanner.cc) (apt-get install g++)."
fi

count="$(wc -l < "$joblist")"
if [ "$count" -gt 0 ]; then
  echo "build-native.sh: compiling $count file(s), $jobs at a time"
  start=$SECONDS
  # xargs exits non-zero when any compile fails; compiler messages go to stderr as they come.
  xargs -P "$jobs" -d '\n' -I{} bash -c '{}' < "$joblist" || fail "compilation failed (see the compiler messages above)."
  echo "build-native.sh: compiled in $((SECONDS - start)) s"
fi

linker=gcc
[ "$needs_cxx" = 1 ] && linker=g++
"$linker" -shared -s -o "$out/$library.tmp" "${object_list[@]}" -Wl,-z,defs -Wl,--as-needed -lc
mv "$out/$library.tmp" "$out/$library"
echo "build-native.sh: $out/$library ($(du -h "$out/$library" | cut -f1))"
