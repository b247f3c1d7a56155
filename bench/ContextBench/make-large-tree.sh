#!/bin/sh
# Makes the 100,000-file tree of the scale benchmark (issue 19) from the Node.js 18 tree, by copying folders:
# the tree itself at the top (so the benchmark specs' files keep their paths), plus COPIES-1 whole copies of it under
# vendor/node-N/ (each with its own ignore files). 20,019 files x 5 = 100,095 files, about 2 GB.
#   bench/ContextBench/make-large-tree.sh [SOURCE [TARGET [COPIES]]]
# Defaults: /work/bigrepo/node, /work/bigrepo/node100k, 5. SOURCE is only read. TARGET must not exist yet.
set -eu
source=${1:-/work/bigrepo/node}
target=${2:-/work/bigrepo/node100k}
copies=${3:-5}
if [ ! -d "$source" ]; then
  echo "no source tree at $source" >&2
  exit 1
fi
if [ -e "$target" ]; then
  echo "$target exists already; remove it first" >&2
  exit 1
fi
mkdir -p "$target.partial"
cp -a "$source/." "$target.partial/"
i=1
while [ "$i" -lt "$copies" ]; do
  mkdir -p "$target.partial/vendor/node-$i"
  cp -a "$source/." "$target.partial/vendor/node-$i/"
  i=$((i + 1))
done
mv "$target.partial" "$target"
echo "$target: $(find "$target" -type f | wc -l) files, $(du -sh "$target" | cut -f1)"
