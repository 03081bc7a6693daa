#!/usr/bin/env bash
# The flagship demo: Hopfield recall of handwritten-looking capital letters, then of real handwritten digits.
# Installs what is missing, builds Release, runs the experiment, draws the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
# The demo owns results/: running it again replaces its own files (--force).
out=results/hopfield_letters.h5
./build/apps/spindiff run experiments/hopfield_letters/config.toml --output "$out" --force
/usr/bin/python3 experiments/hopfield_letters/plot.py "$out"
# The first 40 lines of the summary; sed reads to the end, so no stage dies of SIGPIPE under pipefail.
./build/apps/spindiff info "$out" | sed -n '2,41p'
# Then real handwriting: the UCI digits, recognised by energy descent.
digits=results/hopfield_digits.h5
./build/apps/spindiff run experiments/hopfield_digits/config.toml --output "$digits" --force
/usr/bin/python3 experiments/hopfield_digits/plot.py "$digits"
./build/apps/spindiff info "$digits" | sed -n '/^\[summary\]/,$p' | sed -n '1,10p'
echo
echo "HDF5 results: $out $digits"
echo "Figures:      $(ls results/hopfield_letters_*.png results/hopfield_digits_*.png | tr '\n' ' ')"
