#pragma once
// The learned conditional score: one network conditioned on label attributes (mlp.hpp), behind its
// preconditioning. A condition fixes some attributes and drops the others, so the same network gives
// s(x, t | letter, style), s(x, t | letter), s(x, t | style) and the unconditional s(x, t): what classifier-free
// guidance and composition (guidance.hpp) combine.
#include <memory>

#include "spindiff/diffusion/conditional_score.hpp"
#include "spindiff/diffusion/mlp.hpp"

namespace spindiff::diffusion {

class LearnedConditionalScore final : public ConditionalScoreModel {
 public:
  explicit LearnedConditionalScore(std::shared_ptr<const ScoreNetwork> network);
  void score(const Points& x, const NoiseLevel& level, const Condition& condition, Points& out) const override;
  int dim() const override { return network_->dim(); }
  const std::vector<Attribute>& attributes() const override { return network_->architecture().attributes; }
  const ScoreNetwork& network() const { return *network_; }

 private:
  std::shared_ptr<const ScoreNetwork> network_;
};

// The stored network (of the stored precision) as a conditional score; a network without attributes is the
// conditional model of no attribute (only the unconditional condition).
std::unique_ptr<LearnedConditionalScore> make_learned_conditional_score(const MlpWeights& weights);

}  // namespace spindiff::diffusion
