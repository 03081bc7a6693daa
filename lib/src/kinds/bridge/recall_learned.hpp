#pragma once
// The learned score of bridge.recall: a score network trained on the stored patterns.
#include <memory>
#include <vector>

#include "spindiff/bridge/learned.hpp"
#include "spindiff/core/rng.hpp"
#include "spindiff/diffusion/score.hpp"
#include "spindiff/runner/params.hpp"

namespace spindiff::runner::bridge_kinds {

std::vector<ParamSpec> learned_recall_params();
// The MLP training options shared by the learned-score kinds (width, depth, train_steps, batch,
// learning_rate, t_min), trained on OU times up to t_max.
bridge::LearnedScoreOptions learned_score_options(const Params& p, double t_max);

// `checkpoints` (optional) saves the training state between chunks of steps, or continues from one.
std::unique_ptr<diffusion::ScoreModel> learned_recall_score(const Params& p, const diffusion::Points& patterns,
                                                            const Stream& stream,
                                                            const diffusion::TrainingCheckpoints* checkpoints);

}  // namespace spindiff::runner::bridge_kinds
