#!/usr/bin/env bash
# Trains the score network of letters_diffusion (step 1); config.toml loads it from results/.
set -euo pipefail
cd "$(dirname "$0")/../.."
./build/apps/spindiff run experiments/letters_diffusion/train.toml --output results/letters_diffusion_train.h5 --force
