#!/bin/bash
# Kept for the commands docs/benchmarks.md cites: bench/ContextBench/warm.sh rank (see its header).
# Usage: bench/ContextBench/warm-rank-pairs.sh A_CONTEXTBENCH A_INDEX_DIR B_CONTEXTBENCH B_INDEX_DIR OUT [ROUNDS] [SPECS]
exec bash "$(dirname "$0")/warm.sh" rank "$@"
