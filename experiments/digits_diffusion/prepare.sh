#!/usr/bin/env bash
# Trains the score networks of digits_diffusion: the unconditional one (step 1, config.toml loads it) and the
# digit-conditional one (step 1b), then samples and plots each digit class from the latter (conditional.toml).
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p results
./build/apps/spindiff run experiments/digits_diffusion/train.toml --output results/digits_diffusion_train.h5 --force
./build/apps/spindiff run experiments/digits_diffusion/train_conditional.toml \
  --output results/digits_diffusion_conditional_train.h5 --force
./build/apps/spindiff run experiments/digits_diffusion/conditional.toml \
  --output results/digits_diffusion_conditional.h5 --force
/usr/bin/python3 experiments/digits_diffusion/plot.py results/digits_diffusion_conditional.h5
