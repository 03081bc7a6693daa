#!/usr/bin/env bash
# Runs experiments and draws their figures: scripts/run_experiments.sh [name ...] (default: all).
# Results go to results/<name>.h5 and results/<name>_*.png. Build first (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
spindiff=./build/apps/spindiff
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for d in experiments/*/; do [ -f "$d/config.toml" ] && names+=("$(basename "$d")"); done
fi
for name in "${names[@]}"; do
  dir=experiments/$name
  [ -f "$dir/config.toml" ] || { echo "no experiment '$name' (see experiments/)" >&2; exit 2; }
  echo "== $name" >&2
  start=$(date +%s)
  # An experiment may need another one's output first (a trained network): its README says so, and
  # an optional prepare.sh does it.
  [ -x "$dir/prepare.sh" ] && "$dir/prepare.sh"
  "$spindiff" run "$dir/config.toml" --output "results/$name.h5" --force
  /usr/bin/python3 "$dir/plot.py" "results/$name.h5"
  echo "== $name: $(( $(date +%s) - start )) s" >&2
done
