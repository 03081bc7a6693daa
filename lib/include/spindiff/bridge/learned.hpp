#pragma once
// A learned score for the OU process: diffusion::Mlp trained by denoising score matching on a finite training set.
// Trained long enough on few points it reproduces the empirical score (a memory); on many points it generalises.
#include <functional>
#include <memory>
#include <vector>

#include "spindiff/core/rng.hpp"
#include "spindiff/diffusion/mlp.hpp"
#include "spindiff/diffusion/training.hpp"

namespace spindiff::bridge {

struct LearnedScoreOptions {
  int width = 128;
  int depth = 3;
  long steps = 2000;  // Adam steps (cosine learning-rate schedule over all of them)
  int batch = 128;
  double learning_rate = 2e-3;
  double t_min = 1e-3;  // OU training times uniform in [t_min, t_max]
  double t_max = 3.0;
};

struct LearnedScore {
  std::unique_ptr<diffusion::ScoreModel> net;  // the trained network behind its preconditioning
  std::vector<double> loss_curve;              // one minibatch loss per step
};

// Trains on the rows of `data`; everything random from `stream`. `progress` (optional) gets the fraction done;
// `checkpoints` (optional) saves the training state between chunks of steps, or continues from one.
LearnedScore train_ou_score(const diffusion::Points& data, const LearnedScoreOptions& options, Stream& stream,
                            const std::function<void(double)>& progress = {},
                            const diffusion::TrainingCheckpoints* checkpoints = nullptr);

}  // namespace spindiff::bridge
