#!/usr/bin/env bash
# End-to-end indexing benchmark on a large public C# code base: KeePass 2.47 (Debian source package keepass2
# 2.47+dfsg-2: 495 .cs files, about 172k lines), indexed from scratch with the default model.
# usage: benchmarks/indexing/run.sh WORK_FOLDER [LABEL=CLI_DLL_OR_FOLDER [EMBEDDER]]...
#   SUBDIR=KeePassLib indexes only that folder of the package (35k lines: a shorter run).
#   Each LABEL=CLI names a built structchunk (its structchunk.dll, or the folder holding it) and optionally the
#   embedder (default: the build's own default model); the runs alternate in the order given, ROUNDS times (default 1), so compare a "before"
#   and an "after" build measured in the same run. Without LABEL=CLI arguments it runs this checkout's Release build.
#   Needs root for apt-get (the deb-src lines are added as the shared corpora's "obtain" commands do).
# Prints one line per run: label, seconds, chunks, chunks per 1k lines, chunks/s, the stage times the CLI reports, and
# the load average at the start, and the CPU seconds the run used (user + system): on a shared machine wall time moves
# with everyone else's load, CPU time much less, so compare CPU seconds and ratios between runs of one call.
set -euo pipefail
work="$(mkdir -p "${1:?usage: run.sh WORK_FOLDER [LABEL=CLI [EMBEDDER]]...}" && cd "$1" && pwd)"
shift
here="$(cd "$(dirname "$0")" && pwd)"
rounds="${ROUNDS:-1}"

if [ ! -d "$work/keepass2/KeePassLib" ]; then
  [ -f /etc/apt/sources.list.d/debian-src.sources ] || { sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > /etc/apt/sources.list.d/debian-src.sources && apt-get update >/dev/null; }
  mkdir -p "$work/keepass2"
  (cd "$work/keepass2" && apt-get source --tar-only keepass2=2.47+dfsg-2 >/dev/null && tar xJf keepass2_2.47+dfsg.orig.tar.xz)
fi
corpus="$work/keepass2${SUBDIR:+/$SUBDIR}"
lines=$(find "$corpus/" -name '*.cs' -print0 | xargs -0 cat | wc -l)
echo "corpus: $corpus, $(find "$corpus/" -name '*.cs' | wc -l) .cs files, $lines lines; $(nproc) cores"

runs=("$@")
[ ${#runs[@]} -gt 0 ] || runs=("this=$here/../../samples/StructuralChunking.Cli/bin/Release/net10.0")
for round in $(seq 1 "$rounds"); do
  for run in "${runs[@]}"; do
    label="${run%%=*}"; rest="${run#*=}"; cli="${rest%% *}"; embedder=""
    [ "$rest" = "$cli" ] || embedder="${rest#* }"
    # Without an embedder each build runs its own default model.
    embedder_option=(); [ -z "$embedder" ] || embedder_option=(--embedder "$embedder")
    [ -d "$cli" ] && cli="$cli/structchunk.dll"
    out="$work/index-$label.scidx"
    # From scratch: no embeddings to reuse, no C# document cache.
    rm -f "$out" "$out".*
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    start=$(date +%s.%N)
    # bash's own `time` over the child: user and system CPU seconds of the whole run (ONNX Runtime's threads included).
    cpu=$( { TIMEFORMAT='%U %S'; time dotnet "$cli" index "$corpus" --out "$out" "${embedder_option[@]}" > "$work/index-$label.log" 2>&1; } 2>&1 )
    end=$(date +%s.%N)
    summary=$(grep '^indexed ' "$work/index-$label.log")
    chunks=$(sed -E 's/.* files \([0-9]+ changed\), ([0-9]+) chunks.*/\1/' <<<"$summary")
    stages=$(grep '^stages: ' "$work/index-$label.log" || true)
    awk -v l="$label" -v r="$round" -v s="$start" -v e="$end" -v c="$chunks" -v n="$lines" -v st="$stages" -v la="$load" -v m="${embedder:-default model}" -v cpu="$cpu" \
      'BEGIN { split(cpu, u, " "); t = e - s; printf "%s (round %d, %s): %.1f s wall, %.1f s CPU, %d chunks, %.1f per 1k lines, %.1f chunks/s; %s; load %s\n", l, r, m, t, u[1] + u[2], c, c * 1000 / n, c / t, st, la }'
  done
done
