#!/bin/bash
# Makes the context benchmarks' inputs on a new machine (issue 19), skipping what exists:
#   ROOT/node       Debian's Node.js 18.20.4 source package, unpacked without its patches (20,019 files, 369 MB)
#   ROOT/node-idx   a copy of it that the touched-10 runs touch (bench/ContextBench/pairs.sh's TOUCHTREE)
#   ROOT/node100k   the 100,000-file tree (make-large-tree.sh)
#   ROOT/specs/spec{0,1,2}.md   ContextBench's specs (BenchSpecs.All) as files, for the CLI runs
# Usage: bench/ContextBench/make-bench-inputs.sh [ROOT]   (default /work/bigrepo; needs root for apt-get, deb-src enabled)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=${1:-/work/bigrepo}
mkdir -p "$root/src" "$root/specs"
if [ ! -d "$root/node" ]; then
  if ! grep -qs '^Types: deb deb-src' /etc/apt/sources.list.d/debian.sources; then
    sed -i 's/^Types: deb$/Types: deb deb-src/' /etc/apt/sources.list.d/debian.sources
  fi
  apt-get update -q > /dev/null
  (cd "$root/src" && apt-get source --download-only nodejs=18.20.4+dfsg-1~deb12u2 > /dev/null)
  # Unpacked beside the package (dpkg-source links the original tarballs next to the folder it makes), then moved.
  rm -rf "$root/src/node"
  (cd "$root/src" && dpkg-source -x --skip-patches nodejs_18.20.4+dfsg-1~deb12u2.dsc node > /dev/null)
  mv "$root/src/node" "$root/node"
fi
[ -d "$root/node-idx" ] || { cp -a "$root/node" "$root/node-idx.partial" && mv "$root/node-idx.partial" "$root/node-idx"; }
[ -d "$root/node100k" ] || bash "$here/make-large-tree.sh" "$root/node" "$root/node100k"
# The specs: each raw string literal of BenchSpecs.cs, its indentation removed (as C# does), with a final newline.
python3 - "$here/BenchSpecs.cs" "$root/specs" <<'PY'
import re, sys, textwrap
source, target = sys.argv[1], sys.argv[2]
specs = re.findall(r'\("([^"]+)",\s*"""\n(.*?)\n\s*"""\)', open(source).read(), re.S)
for i, (name, text) in enumerate(specs):
    open(f"{target}/spec{i}.md", "w").write(textwrap.dedent(text) + "\n")
    print(f"{target}/spec{i}.md: {name}")
PY
echo "$root/node: $(find "$root/node" -type f | wc -l) files"
