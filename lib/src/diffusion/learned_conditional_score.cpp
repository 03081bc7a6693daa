#include "spindiff/diffusion/learned_conditional_score.hpp"

#include <stdexcept>

#include "spindiff/diffusion/preconditioned_score.hpp"

namespace spindiff::diffusion {

LearnedConditionalScore::LearnedConditionalScore(std::shared_ptr<const ScoreNetwork> network)
    : network_(std::move(network)) {
  if (!network_) throw std::invalid_argument("learned conditional score: no network");
  if (network_->architecture().is_classifier())
    throw std::invalid_argument("learned conditional score: the network is a classifier, not a score");
}

void LearnedConditionalScore::score(const Points& x, const NoiseLevel& level, const Condition& condition,
                                    Points& out) const {
  network_->output(x, level, condition, out);
  precondition(network_->architecture(), x, level, out);
}

std::unique_ptr<LearnedConditionalScore> make_learned_conditional_score(const MlpWeights& weights) {
  return std::make_unique<LearnedConditionalScore>(make_network(weights));
}

}  // namespace spindiff::diffusion
