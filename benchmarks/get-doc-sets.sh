#!/usr/bin/env bash
# Lays out the code bases of the doc-comment sets: code bases of four languages that are not evaluation sets, whose
# own doc comments become questions (`eval --from-docs`). The confidence fit and the ablation grid both use them.
#   cobra-go       spf13/cobra 1.6.1 (Go, Debian golang-github-spf13-cobra-dev)
#   click-py       click (Python, Debian python3-click)
#   query-core-ts  @tanstack/query-core 5.59.0 (TypeScript, npm)
#   keepasslib-cs  KeePassLib of KeePass 2.47 (C#, Debian source package keepass2)
# usage: benchmarks/get-doc-sets.sh WORK_FOLDER   (needs root for apt-get, and npm)
# Prints one "NAME ROOT" line per code base.
set -euo pipefail
work="$(mkdir -p "${1:?usage: get-doc-sets.sh WORK_FOLDER}" && cd "$1" && pwd)"

# apt-get source needs the deb-src lines, as the shared corpora's "obtain" commands set them up.
[ -f /etc/apt/sources.list.d/debian-src.sources ] || { sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > /etc/apt/sources.list.d/debian-src.sources && apt-get update >/dev/null; }
apt-get install -y golang-github-spf13-cobra-dev=1.6.1-1 python3-click >/dev/null
mkdir -p "$work/npm" "$work/deb"
[ -d "$work/npm/package" ] || (cd "$work/npm" && npm pack @tanstack/query-core@5.59.0 >/dev/null && tar xzf tanstack-query-core-5.59.0.tgz)
[ -d "$work/deb/KeePassLib" ] || (cd "$work/deb" && apt-get source --tar-only keepass2=2.47+dfsg-2 >/dev/null && tar xJf keepass2_2.47+dfsg.orig.tar.xz)

echo "cobra-go /usr/share/gocode/src/github.com/spf13/cobra"
echo "click-py /usr/lib/python3/dist-packages/click"
echo "query-core-ts $work/npm/package/src"
echo "keepasslib-cs $work/deb/KeePassLib"
