#!/usr/bin/env bash
# Lays out the shared evaluation corpora under one folder, exactly as each NAME.corpus.json says: its "obtain"
# command runs in TARGET_FOLDER/NAME/ (each set in its own folder: two npm tarballs both unpack to package/), and its
# "root" (absolute, or relative to that folder) is what gets indexed.
# usage: benchmarks/get-corpora.sh TARGET_FOLDER [EVAL_FOLDER]   (EVAL_FOLDER defaults to ../shared/eval)
# Needs root for apt-get, and npm. Afterwards: STRUCTCHUNK_CORPORA=TARGET_FOLDER.
set -euo pipefail
target="${1:?usage: get-corpora.sh TARGET_FOLDER [EVAL_FOLDER]}"
eval_dir="${2:-$(dirname "$0")/../../shared/eval}"
mkdir -p "$target"
target="$(cd "$target" && pwd)"

for corpus in "$eval_dir"/*.corpus.json; do
  name=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["name"])' "$corpus")
  root=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["root"])' "$corpus")
  obtain=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["obtain"])' "$corpus")
  case "$root" in /*) full="$root" ;; *) full="$target/$name/$root" ;; esac
  if [ -d "$full" ]; then
    echo "$name: ready at $full"
    continue
  fi
  echo "$name: $obtain"
  mkdir -p "$target/$name"
  (cd "$target/$name" && bash -c "$obtain")
  [ -d "$full" ] || { echo "$name: '$full' still missing after obtain" >&2; exit 1; }
done
