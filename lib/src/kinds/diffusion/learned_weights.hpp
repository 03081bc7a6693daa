#pragma once
// The one loader of learned score weights for the kinds: a weights file becomes a score model, and any failure
// becomes a configuration error naming the file and the parameter.
#include <memory>
#include <string>

#include "spindiff/diffusion/score.hpp"

namespace spindiff::runner::diffusion_kinds {

// The learned score stored in `file` (a weights file or a diffusion.train result). Throws ConfigError on the
// parameter `key` with the reason when the file cannot be read or is not an MLP.
std::unique_ptr<spindiff::diffusion::ScoreModel> load_learned_score(const std::string& file,
                                                                    const std::string& key = "weights");

}  // namespace spindiff::runner::diffusion_kinds
