#!/usr/bin/env bash
# Lays out the evaluation corpora (../shared/eval/*.corpus.json describe them) under one folder, for benchmarks and
# evaluation runs: STRUCTCHUNK_CORPORA=<folder> afterwards. Needs apt (deb-src) and npm; run as root.
set -euo pipefail
target="${1:?usage: get-corpora.sh TARGET_FOLDER}"
mkdir -p "$target"
cd "$target"

if [ ! -d newtonsoft-json-6.0.8 ]; then
  if [ ! -f /etc/apt/sources.list.d/debian-src.sources ]; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > /etc/apt/sources.list.d/debian-src.sources
  fi
  apt-get update -qq
  apt-get source --tar-only newtonsoft-json=6.0.8+dfsg-1.1
  tar xzf newtonsoft-json_6.0.8+dfsg.orig.tar.gz
fi

if [ ! -d /usr/lib/python3/dist-packages/requests ]; then
  apt-get install -y -qq python3-requests=2.28.1+dfsg-1
fi
ln -sfn /usr/lib/python3/dist-packages/requests requests-2.28.1

if [ ! -d commander-15.1.0 ]; then
  npm pack --silent commander@15.1.0 >/dev/null
  mkdir -p commander-15.1.0
  tar xzf commander-15.1.0.tgz -C commander-15.1.0
fi

echo "corpora ready in $target"
