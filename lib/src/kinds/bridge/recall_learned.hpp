#pragma once
// The learned score of bridge.recall: a score network trained on the stored patterns.
#include <memory>
#include <vector>

#include "spindiff/core/rng.hpp"
#include "spindiff/diffusion/score.hpp"
#include "spindiff/runner/params.hpp"

namespace spindiff::runner::bridge_kinds {

std::vector<ParamSpec> learned_recall_params();
std::unique_ptr<diffusion::ScoreModel> learned_recall_score(const Params& p, const diffusion::Points& patterns,
                                                            const Stream& stream);

}  // namespace spindiff::runner::bridge_kinds
