#!/usr/bin/env bash
# Fits the confidence model shipped for an embedding model (src/StructuralChunking/Search/ShippedConfidenceModels.cs)
# on data this project generates itself — never on the shared evaluation sets, which stay held out to measure it.
#   positives: doc-comment questions of four code bases in four languages (eval --from-docs; the docs are hidden from
#              the index, the documented definition is the answer);
#   negatives: 30% of those questions with their definition held out of the index (in-domain, no answer), the other
#              code bases' questions, and the out-of-domain questions in out-of-domain.txt.
# usage: benchmarks/confidence/fit.sh WORK_FOLDER [EMBEDDER]   (needs root for apt-get, and npm; EMBEDDER: minilm)
# Prints the fitted model as JSON; the threshold keeps 95% of the positives' first hits (doc-comment questions are
# easier than people's questions, so the 90% target on real questions needs the margin).
set -euo pipefail
work="$(mkdir -p "${1:?usage: fit.sh WORK_FOLDER [EMBEDDER]}" && cd "$1" && pwd)"
embedder="${2:-minilm}"
here="$(cd "$(dirname "$0")" && pwd)"
cli() { dotnet run -c Release --no-build --project "$here/../../samples/StructuralChunking.Cli" -- "$@"; }

# Assigned first, so that a failure to lay them out stops the script (set -e) instead of leaving the list empty.
doc_sets=$("$here/../get-doc-sets.sh" "$work")
declare -A roots
while read -r name root; do roots[$name]="$root"; done <<< "$doc_sets"
sets="cobra-go click-py query-core-ts keepasslib-cs"
for name in $sets; do
  [ -f "$work/$name.$embedder.scidx" ] || cli eval --from-docs "${roots[$name]}" --embedder "$embedder" --hold-out 0.3 --max-queries 200 \
    --negatives "$here/out-of-domain.txt" --save-queries "$work/$name.$embedder.queries.jsonl" --save-index "$work/$name.$embedder.scidx" --failures 0
done

rm -f "$work"/samples.*.jsonl
for name in $sets; do
  others=""
  for other in $sets; do [ "$other" = "$name" ] || others="$others $work/$other.$embedder.queries.jsonl"; done
  # shellcheck disable=SC2086
  cli eval "$work/$name.$embedder.queries.jsonl" --index "$work/$name.$embedder.scidx" --negatives $others \
    --samples "$work/samples.$name.jsonl" --failures 0 >/dev/null
done
cli fit-confidence "$work"/samples.*.jsonl --keep 0.95
