#!/usr/bin/env bash
# Run every experiment of docs/experiments, one after the other (about 10 minutes on 2 cores),
# rewriting the figures and tables in docs/experiments/figures/. Arguments go to every script:
#
#     docs/experiments/run_all.sh                  # the published run
#     docs/experiments/run_all.sh --quick --out /tmp/experiments   # smoke run, elsewhere
#
# PYTHON picks the interpreter (default: python).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python="${PYTHON:-python}"
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-3}"
for name in pad_vs_mask pooling classes_vs_regression class_balancing word_vectors; do
    echo "== $name"
    start=$SECONDS
    "$python" "$here/$name.py" "$@"
    echo "== $name: $((SECONDS - start)) s"
done
