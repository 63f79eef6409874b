#!/usr/bin/env bash
# Compares the PostgreSQL store with the index file on one shared evaluation set (docs/POSTGRES.md):
# identical top-10 at exact vector search, recall@10 of the HNSW search against the file's top-10, the rows a
# one-file change writes, and the per-query latency. Starts the PGlite test server unless STORE is set.
# usage: benchmarks/postgres-compare.sh CORPUS_ROOT QUERIES.jsonl [EMBEDDER]   (built CLI: dotnet build -c Release first)
# STORE=postgres://USER:PASSWORD@HOST:PORT/DB?sslmode=disable to use a real server instead.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(cd "${1:?corpus root}" && pwd)"
queries="$(cd "$(dirname "${2:?queries jsonl}")" && pwd)/$(basename "$2")"
embedder="${3:-minilm}"
work="$(mktemp -d)"
cli=(dotnet run -c Release --no-build --project samples/StructuralChunking.Cli --)
repo="compare-$(basename "$root")-$$"

server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
if [ -z "${STORE:-}" ]; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  (cd tests/Postgres && [ -d node_modules ] || npm ci --ignore-scripts --no-audit --no-fund >/dev/null)
  mkfifo "$work/in"
  (cd tests/Postgres && exec node server.mjs "$port" < "$work/in" > "$work/server.log" 2>&1) &
  server_pid=$!
  exec 9>"$work/in"
  for _ in $(seq 1 60); do grep -q ready "$work/server.log" 2>/dev/null && break; sleep 1; done
  STORE="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
fi

python3 -c 'import json,sys; [print(json.loads(l)["query"]) for l in open(sys.argv[1]) if l.strip()]' "$queries" > "$work/queries.txt"
head -n 1 "$work/queries.txt" > "$work/one.txt"

now() { date +%s.%N; }
"${cli[@]}" index "$root" --out "$work/index.scidx" --embedder "$embedder" > "$work/file-index.txt"
t0=$(now); "${cli[@]}" index "$root" --store "$STORE" --repository "$repo" --embedder "$embedder" > "$work/store-index.txt"; t1=$(now)
echo "store index: $(grep stored "$work/store-index.txt") in $(python3 -c "print(round($t1-$t0,1))") s"

# Latency: the queries five times over in one process against one query, best of two runs each, so CLI start-up and
# model loading cancel out: (T(5n) - T(1)) / (5n - 1).
for _ in 1 2 3 4 5; do cat "$work/queries.txt"; done > "$work/queries5.txt"
n=$(wc -l < "$work/queries5.txt")
elapsed() { local best=""; for _ in 1 2; do local t0 t1; t0=$(now); "$@" > /dev/null; t1=$(now); best=$(python3 -c "b='$best'; d=$t1-$t0; print(d if not b else min(float(b), d))"); done; echo "$best"; }
latency() {
  local one all
  one=$(elapsed "${cli[@]}" search --queries-file "$work/one.txt" "$@")
  all=$(elapsed "${cli[@]}" search --queries-file "$work/queries5.txt" "$@")
  python3 -c "print(round(1000*($all-$one)/($n-1),1))"
}
"${cli[@]}" search --queries-file "$work/queries.txt" --index "$work/index.scidx" > "$work/file.jsonl"
"${cli[@]}" search --queries-file "$work/queries.txt" --store "$STORE" --repository "$repo" --exact > "$work/exact.jsonl"
"${cli[@]}" search --queries-file "$work/queries.txt" --store "$STORE" --repository "$repo" > "$work/hnsw.jsonl"
echo "latency per query (ms, query embedding included): file $(latency --index "$work/index.scidx"), store exact $(latency --store "$STORE" --repository "$repo" --exact), store hnsw $(latency --store "$STORE" --repository "$repo")"

python3 - "$work/file.jsonl" "$work/exact.jsonl" "$work/hnsw.jsonl" <<'PY'
import json, sys
def load(p): return [[(r["path"], r["startLine"]) for r in json.loads(l)["results"]] for l in open(p)]
file, exact, hnsw = (load(p) for p in sys.argv[1:4])
same = sum(a == b for a, b in zip(file, exact))
print(f"exact: identical top-10 for {same} of {len(file)} queries")
hits = sum(len(set(a) & set(b)) for a, b in zip(file, hnsw)); total = sum(len(a) for a in file)
print(f"hnsw: recall@10 against the file's top-10 = {hits / max(1, total):.4f} ({hits}/{total}); identical top-10 for {sum(a == b for a, b in zip(file, hnsw))} of {len(file)}")
PY

# One-file change: append a function to the first file of the corpus and sync again.
cp -r "$root" "$work/copy"
"${cli[@]}" index "$work/copy" --store "$STORE" --repository "$repo-edit" --embedder "$embedder" > /dev/null
first=$(cd "$work/copy" && find . -type f \( -name '*.py' -o -name '*.js' -o -name '*.ts' -o -name '*.cs' \) | sort | head -n 1)
case "$first" in
  *.py) printf '\n\ndef structchunk_added_probe(value):\n    return value\n' >> "$work/copy/$first" ;;
  *) printf '\n// structchunk probe\nfunction structchunkAddedProbe(value) { return value; }\n' >> "$work/copy/$first" ;;
esac
t0=$(now); "${cli[@]}" index "$work/copy" --store "$STORE" --repository "$repo-edit" --embedder "$embedder" > "$work/edit.txt"; t1=$(now)
echo "one-file change ($first): $(grep stored "$work/edit.txt") in $(python3 -c "print(round($t1-$t0,1))") s"
