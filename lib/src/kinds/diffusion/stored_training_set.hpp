#pragma once
// The training set that a diffusion.train run stored in its results file, read back so that another run (an
// empirical score, a memorisation check) sees exactly the points the network was trained on, whatever its own
// parameters and random streams.
#include <string>
#include <vector>

#include "spindiff/diffusion/conditional_score.hpp"
#include "spindiff/runner/params.hpp"

namespace spindiff::runner::diffusion_kinds {

struct StoredTrainingSet {
  spindiff::diffusion::Points x;
  // Labelled runs: one column per attribute the network is conditioned on (attributes); unlabelled: empty.
  spindiff::diffusion::Labels labels;
  std::vector<spindiff::diffusion::Attribute> attributes;
};

// The first task's training set in the diffusion.train results `file` (the value of parameter `key`):
// `training_data` and `training_labels` of a labelled run, or `data` of an unlabelled one when it holds all
// n_train points (n_samples >= n_train). The data parameters of `p` that define the training law (data, the data
// set's own keys, n_train; for digits also seed, which draws the train/test split) must equal the training run's.
// Throws ConfigError naming the file and the key: on `key` when the file is not such a run or holds no whole
// training set, on the first differing data parameter otherwise.
StoredTrainingSet read_training_set(const Params& p, const std::string& file, const std::string& key = "weights");

}  // namespace spindiff::runner::diffusion_kinds
