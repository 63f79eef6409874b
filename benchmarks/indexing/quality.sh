#!/usr/bin/env bash
# The quality side of the indexing benchmark: indexes every shared evaluation set with one build and embedder, as a
# user would (`structchunk index`), and prints each set's symbol and file MRR@10 (`eval QUERIES --index`).
# usage: benchmarks/indexing/quality.sh CLI_DLL_OR_FOLDER EMBEDDER OUT_FOLDER CORPORA_FOLDER [EVAL_FOLDER [SEED_FOLDER]]
#   CORPORA_FOLDER is laid out by benchmarks/get-corpora.sh; EVAL_FOLDER defaults to ../shared/eval.
#   SEED_FOLDER (optional) holds indexes of the same sets built with the same embedder: each is copied first, so only
#   chunks that differ are embedded (the figures are those of a fresh index; only the time is saved).
set -euo pipefail
cli="${1:?usage: quality.sh CLI EMBEDDER OUT_FOLDER CORPORA_FOLDER [EVAL_FOLDER [SEED_FOLDER]]}"
embedder="${2:?}"
out="$(mkdir -p "${3:?}" && cd "$3" && pwd)"
corpora="$(cd "${4:?}" && pwd)"
eval_dir="${5:-$(dirname "$0")/../../../shared/eval}"
seed="${6:-}"
[ -d "$cli" ] && cli="$cli/structchunk.dll"
for queries in "$eval_dir"/*.queries.jsonl; do
  name=$(basename "$queries" .queries.jsonl)
  root=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["root"])' "$eval_dir/$name.corpus.json")
  case "$root" in /*) full="$root" ;; *) full="$corpora/$name/$root" ;; esac
  index="$out/$name.scidx"
  if [ ! -f "$index" ] && [ -n "$seed" ] && [ -f "$seed/$name.scidx" ]; then cp "$seed/$name.scidx" "$index"; fi
  start=$(date +%s)
  dotnet "$cli" index "$full" --out "$index" --embedder "$embedder" --force > "$out/$name.index.log" 2>&1
  seconds=$(( $(date +%s) - start ))
  dotnet "$cli" eval "$queries" --index "$index" > "$out/$name.eval.log" 2>&1
  symbol=$(awk '/^  symbol  MRR@10/ {print $3; exit}' "$out/$name.eval.log")
  file=$(awk '/^  file    MRR@10/ {print $3; exit}' "$out/$name.eval.log")
  chunks=$(sed -nE 's/.* files \([0-9]+ changed\), ([0-9]+) chunks \(([0-9]+) embedded.*/\1 chunks, \2 embedded/p' "$out/$name.index.log")
  echo "$name: symbol MRR@10 $symbol, file MRR@10 $file ($chunks, ${seconds} s)"
done
