#include "learned_weights.hpp"

#include <fmt/format.h>

#include "spindiff/diffusion/mlp.hpp"
#include "spindiff/kinds/diffusion/mlp_weights.hpp"
#include "spindiff/runner/params.hpp"

namespace spindiff::runner::diffusion_kinds {

std::unique_ptr<spindiff::diffusion::ScoreModel> load_learned_score(const std::string& file, const std::string& key) {
  try {
    return spindiff::diffusion::make_learned_score(runner::diffusion_kinds::read_mlp_weights(file));
  } catch (const std::exception& e) {
    throw ConfigError("", key, fmt::format("cannot load MLP weights from {}: {}", file, e.what()));
  }
}

}  // namespace spindiff::runner::diffusion_kinds
