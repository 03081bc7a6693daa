#include "recall_learned.hpp"

#include <stdexcept>

namespace spindiff::runner::bridge_kinds {

std::vector<ParamSpec> learned_recall_params() { return {}; }

std::unique_ptr<diffusion::ScoreModel> learned_recall_score(const Params&, const diffusion::Points&, const Stream&) {
  throw std::runtime_error("bridge.recall: method 'learned' needs the MLP score (not merged yet)");
}

}  // namespace spindiff::runner::bridge_kinds
