#!/usr/bin/env bash
# Cold start-up of `structchunk search QUERY --index FILE`: a fresh process per search, main's build against this
# checkout's, alternating, ROUNDS times (default 5); medians of wall time, CPU seconds (user + system, all threads) and
# peak resident memory. The OS file cache is warm (each build runs once before the measured rounds, which also writes
# this build's optimized model copy), as it is for anyone who searches twice.
# usage: benchmarks/search-startup/run.sh WORK_FOLDER INDEX...
#   INDEX: index files main's build reads (format 2), for example the one benchmarks/indexing/run.sh writes; each is
#   copied once into the current format for this build (same content: `upgrade-index`), and both builds must print
#   the same results.
#   MAIN_CLI=DLL uses a main build you already have; otherwise `git archive main` is built once into WORK_FOLDER/main-src.
#   QUERY (default below), ROUNDS, EMBEDDER_CACHE=off (this build without its optimized model copy).
# Prints, per index and build: median wall, median CPU, median peak RSS; then the warm figures of this build
# (in one process: a second load, model creation and query; `search-warm`).
set -euo pipefail
work="$(mkdir -p "${1:?usage: run.sh WORK_FOLDER INDEX...}" && cd "$1" && pwd)"
shift
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
rounds="${ROUNDS:-5}"
query="${QUERY:-where is the master key derived from the password}"

if [ -z "${MAIN_CLI:-}" ]; then
  if [ ! -f "$work/main-src/samples/StructuralChunking.Cli/bin/Release/net10.0/structchunk.dll" ]; then
    rm -rf "$work/main-src" && mkdir -p "$work/main-src"
    git -C "$repo" archive main | tar -x -C "$work/main-src"
    dotnet build "$work/main-src/samples/StructuralChunking.Cli" -c Release > "$work/main-build.log" 2>&1
  fi
  MAIN_CLI="$work/main-src/samples/StructuralChunking.Cli/bin/Release/net10.0/structchunk.dll"
fi
dotnet build "$repo/samples/StructuralChunking.Cli" -c Release > "$work/this-build.log" 2>&1
dotnet build "$repo/benchmarks/StructuralChunking.Benchmarks" -c Release > "$work/bench-build.log" 2>&1
this_cli="$repo/samples/StructuralChunking.Cli/bin/Release/net10.0/structchunk.dll"
bench="$repo/benchmarks/StructuralChunking.Benchmarks/bin/Release/net10.0/StructuralChunking.Benchmarks.dll"
[ "${EMBEDDER_CACHE:-}" != off ] || export STRUCTCHUNK_MODEL_CACHE=off

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

for index in "$@"; do
  name="$(basename "$(dirname "$index")")-$(basename "$index" .scidx)"
  upgraded="$work/$name.v3.scidx"
  [ -f "$upgraded" ] && [ "$upgraded" -nt "$index" ] || { rm -f "$upgraded"; dotnet "$bench" upgrade-index "$index" "$upgraded"; }
  echo "index $name: $(du -h "$index" | cut -f1), query \"$query\", load $(cut -d' ' -f1-3 /proc/loadavg)"
  # One run each first: file cache warm, this build's optimized model copy written.
  dotnet "$MAIN_CLI" search "$query" --index "$index" > "$work/$name.main.out"
  dotnet "$this_cli" search "$query" --index "$upgraded" > "$work/$name.this.out"
  cmp -s "$work/$name.main.out" "$work/$name.this.out" || { echo "  results differ: $work/$name.main.out $work/$name.this.out"; exit 1; }
  : > "$work/$name.main.times"; : > "$work/$name.this.times"
  for round in $(seq 1 "$rounds"); do
    /usr/bin/time -f '%e %U %S %M' -a -o "$work/$name.main.times" dotnet "$MAIN_CLI" search "$query" --index "$index" > /dev/null
    /usr/bin/time -f '%e %U %S %M' -a -o "$work/$name.this.times" dotnet "$this_cli" search "$query" --index "$upgraded" > /dev/null
  done
  for build in main this; do
    times="$work/$name.$build.times"
    echo "  $build: wall $(awk '{ print $1 }' "$times" | median) s, CPU $(awk '{ print $2 + $3 }' "$times" | median) s, peak RSS $(awk '{ print $4 / 1024 }' "$times" | median) MB (median of $rounds)"
  done
  echo "  this, $(dotnet "$bench" search-warm "$upgraded" "$query" "$rounds")"
done
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
