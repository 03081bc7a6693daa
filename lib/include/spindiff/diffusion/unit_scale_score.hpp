#pragma once
// Serves every forward process from a score known only at unit scale (variance-exploding form).
//
// If x_t = a x_0 + σ z, then x_t / a = x_0 + (σ/a) z, so p_t(x) = a^{-d} p^{VE}_{σ/a}(x / a) and
//   ∇ log p_t(x) = (1/a) s^{VE}(x / a; σ / a).
// A network trained by diffusion.train (a = 1 throughout) therefore samples exactly as well under
// VP, DDPM or OU schedules as under VE ones.
#include <memory>

#include "spindiff/diffusion/conditional_score.hpp"
#include "spindiff/diffusion/score.hpp"

namespace spindiff::diffusion {

class UnitScaleScore final : public ScoreModel {
 public:
  explicit UnitScaleScore(std::unique_ptr<ScoreModel> unit_scale_model) : model_(std::move(unit_scale_model)) {}

  void score(const Points& x, const NoiseLevel& level, Points& out) const override {
    if (level.scale == 1.0) {
      model_->score(x, level, out);
      return;
    }
    const double a = level.scale;
    const Points scaled = x / a;  // per call: a score model keeps no scratch between calls
    model_->score(scaled, NoiseLevel{level.t, 1.0, level.sigma / a}, out);
    out /= a;
  }
  int dim() const override { return model_->dim(); }

 private:
  std::unique_ptr<ScoreModel> model_;
};

// The same for a conditional score: every condition is served at every scale, so guidance and composition built on
// top (and their correctors) run under any process.
class UnitScaleConditionalScore final : public ConditionalScoreModel {
 public:
  explicit UnitScaleConditionalScore(std::shared_ptr<const ConditionalScoreModel> unit_scale_model)
      : model_(std::move(unit_scale_model)) {}

  void score(const Points& x, const NoiseLevel& level, const Condition& condition, Points& out) const override {
    if (level.scale == 1.0) {
      model_->score(x, level, condition, out);
      return;
    }
    const double a = level.scale;
    const Points scaled = x / a;
    model_->score(scaled, NoiseLevel{level.t, 1.0, level.sigma / a}, condition, out);
    out /= a;
  }
  int dim() const override { return model_->dim(); }
  const std::vector<Attribute>& attributes() const override { return model_->attributes(); }

 private:
  std::shared_ptr<const ConditionalScoreModel> model_;
};

}  // namespace spindiff::diffusion
