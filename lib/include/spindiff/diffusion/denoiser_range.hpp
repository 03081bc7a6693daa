#pragma once
// A score whose denoiser is kept inside the data's value range.
//
// A score at noise level (a, σ) is a denoiser: D(x) = (x + σ² s(x)) / a estimates E[x_0 | x_t = x]. When every data
// value lies in [low, high] (letters: pixels ±1), the true posterior mean is a convex combination of data points and
// lies in the box [low, high]^d, so projecting an estimated D onto the box never moves it away from the true one (a
// projection onto a convex set that holds the target). A learned network need not respect the box: where a sampler
// leaves the region the network was trained on, its D can extrapolate outward, and at small σ the score
// (a D − x)/σ² then pushes x further out with every step — the samples run away (docs/theory/learned-score.md).
// The wrapper replaces each coordinate of D beyond a bound by that bound, so the score always points back into the
// box from outside it; coordinates whose D lies inside keep the wrapped score bit for bit.
#include <memory>
#include <vector>

#include "spindiff/diffusion/conditional_score.hpp"
#include "spindiff/diffusion/score.hpp"

namespace spindiff::diffusion {

// The interval every data value lies in.
struct ValueRange {
  double low = -1.0;
  double high = 1.0;
  void validate() const;  // throws std::invalid_argument unless low < high (both finite)
};

// In place: `score` holds s(x) at `level` on entry and the score of the clipped denoiser on return. No-op at σ = 0.
void clip_denoiser(const Points& x, const NoiseLevel& level, const ValueRange& range, Points& score);

class RangeClippedScore final : public ScoreModel {
 public:
  RangeClippedScore(std::shared_ptr<const ScoreModel> model, ValueRange range);
  void score(const Points& x, const NoiseLevel& level, Points& out) const override;
  int dim() const override { return model_->dim(); }

 private:
  std::shared_ptr<const ScoreModel> model_;
  ValueRange range_;
};

// The same for every condition of a conditional score (guidance and composition built on it combine clipped
// denoisers, each an estimate of a posterior mean inside the box).
class RangeClippedConditionalScore final : public ConditionalScoreModel {
 public:
  RangeClippedConditionalScore(std::shared_ptr<const ConditionalScoreModel> model, ValueRange range);
  void score(const Points& x, const NoiseLevel& level, const Condition& condition, Points& out) const override;
  int dim() const override { return model_->dim(); }
  const std::vector<Attribute>& attributes() const override { return model_->attributes(); }

 private:
  std::shared_ptr<const ConditionalScoreModel> model_;
  ValueRange range_;
};

}  // namespace spindiff::diffusion
