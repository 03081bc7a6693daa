#pragma once
// The one loader of learned score weights for the kinds: a weights file becomes a score model, and any failure
// becomes a configuration error naming the file and the parameter.
#include <memory>
#include <string>

#include "spindiff/diffusion/learned_conditional_score.hpp"
#include "spindiff/diffusion/score.hpp"
#include "spindiff/runner/output.hpp"

namespace spindiff::runner::diffusion_kinds {

// The learned score stored in `file` (a weights file or a diffusion.train result). Throws ConfigError on the
// parameter `key` with the reason when the file cannot be read or is not an MLP.
std::unique_ptr<spindiff::diffusion::ScoreModel> load_learned_score(const std::string& file,
                                                                    const std::string& key = "weights");

// The learned conditional score of `file` (its label attributes and vocabularies read from the file); `group` as
// read_mlp_weights (empty: the file's score, or the first task's). ConfigError on `key` as above.
std::unique_ptr<spindiff::diffusion::LearnedConditionalScore> load_learned_conditional_score(
    const std::string& file, const std::string& key = "weights", const std::string& group = "");

// The weights as task datasets <group>/<name>; the architecture rides on each dataset as attributes (a kind
// cannot set attributes on a group), which read_mlp_weights(file, "tasks/NNNN/<group>") reads.
void output_weights(const spindiff::diffusion::MlpWeights& w, TaskOutput& out, const std::string& group = "weights");

}  // namespace spindiff::runner::diffusion_kinds
