#!/bin/bash
# Kept for the commands docs/benchmarks.md cites: bench/ContextBench/warm.sh cli (see its header).
# Usage: bench/ContextBench/warm-pairs.sh A_CLI_PUBLISH_DIR B_CLI_PUBLISH_DIR OUT [ROUNDS]
exec bash "$(dirname "$0")/warm.sh" cli "$@"
