#include "learned_weights.hpp"

#include <fmt/format.h>

#include <variant>

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

std::unique_ptr<spindiff::diffusion::LearnedConditionalScore> load_learned_conditional_score(const std::string& file,
                                                                                             const std::string& key,
                                                                                             const std::string& group) {
  try {
    return spindiff::diffusion::make_learned_conditional_score(runner::diffusion_kinds::read_mlp_weights(file, group));
  } catch (const std::exception& e) {
    throw ConfigError("", key, fmt::format("cannot load MLP weights from {}: {}", file, e.what()));
  }
}

void output_weights(const spindiff::diffusion::MlpWeights& w, TaskOutput& out, const std::string& group) {
  std::vector<std::pair<std::string, Value>> attributes;
  for (const auto& [name, value] : runner::diffusion_kinds::mlp_weight_attributes(w))
    attributes.emplace_back(name, std::visit([](const auto& v) { return Value(v); }, value));
  for (const spindiff::diffusion::NamedArray& arr : w.arrays)
    out.array(group + "/" + arr.name, arr.values, arr.shape).attributes = attributes;
}

}  // namespace spindiff::runner::diffusion_kinds
