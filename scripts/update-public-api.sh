#!/usr/bin/env bash
# Regenerates the public API baselines (PublicAPI.Shipped.txt / PublicAPI.Unshipped.txt, read by
# Microsoft.CodeAnalysis.PublicApiAnalyzers) of every project under src/ that has them (SpecSynth, SpecSynth.Providers,
# SpecSynth.Redis: each package pins its own surface), from the current code.
#
#   scripts/update-public-api.sh          PublicAPI.Unshipped.txt := every public symbol not in PublicAPI.Shipped.txt,
#                                         plus "*REMOVED*" lines for shipped symbols that are gone. Shipped is untouched.
#   scripts/update-public-api.sh --ship   then ships it: PublicAPI.Shipped.txt := the whole current surface,
#                                         PublicAPI.Unshipped.txt := empty (do this when a version is released).
#
# How: both files are emptied, the analyzer's own code fix for RS0016 ("symbol is not part of the declared API") is
# applied with `dotnet format analyzers`, which writes the complete current surface, exactly as the analyzer spells
# it, to PublicAPI.Unshipped.txt; the script then splits that against the old Shipped file. Review the diff of the
# .txt files like code: it is the change to the public API. Needs the packages restored (it builds nothing).
set -euo pipefail
cd "$(dirname "$0")/.."

ship=false
case "${1:-}" in
  --ship) ship=true ;;
  "") ;;
  *) echo "usage: $0 [--ship]" >&2; exit 2 ;;
esac

header='#nullable enable'
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

body() { grep -v -x -e "$header" -e '' "$1" | LC_ALL=C sort -u || true; }

found=false
while IFS= read -r shipped; do
  dir=$(dirname "$shipped")
  project=$(find "$dir" -maxdepth 1 -name '*.csproj' | head -n 1)
  [ -n "$project" ] || continue
  found=true
  unshipped="$dir/PublicAPI.Unshipped.txt"
  echo "== $project"
  body "$shipped" > "$tmp/old-shipped"
  printf '%s\n' "$header" > "$shipped"
  printf '%s\n' "$header" > "$unshipped"
  if ! dotnet format analyzers "$project" --diagnostics RS0016 --severity warn -v q; then
    # Leave the files as they were rather than half-written.
    { printf '%s\n' "$header"; cat "$tmp/old-shipped"; } > "$shipped"
    echo "dotnet format failed for $project; $shipped restored" >&2
    exit 1
  fi
  body "$unshipped" > "$tmp/current"
  if [ "$ship" = true ]; then
    { printf '%s\n' "$header"; cat "$tmp/current"; } > "$shipped"
    printf '%s\n' "$header" > "$unshipped"
  else
    { printf '%s\n' "$header"; cat "$tmp/old-shipped"; } > "$shipped"
    {
      printf '%s\n' "$header"
      { LC_ALL=C comm -13 "$tmp/old-shipped" "$tmp/current"; LC_ALL=C comm -23 "$tmp/old-shipped" "$tmp/current" | sed 's/^/*REMOVED*/'; } | LC_ALL=C sort
    } > "$unshipped"
  fi
  echo "   shipped: $(body "$shipped" | wc -l) lines, unshipped: $(body "$unshipped" | wc -l) lines"
done < <(find src -name PublicAPI.Shipped.txt -not -path '*/bin/*' -not -path '*/obj/*' | LC_ALL=C sort)

if [ "$found" = false ]; then
  echo "no PublicAPI.Shipped.txt under src/" >&2
  exit 1
fi
