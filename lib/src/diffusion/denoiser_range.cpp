#include "spindiff/diffusion/denoiser_range.hpp"

#include <cmath>
#include <stdexcept>

namespace spindiff::diffusion {

void ValueRange::validate() const {
  if (!(std::isfinite(low) && std::isfinite(high) && low < high))
    throw std::invalid_argument("value range: needs finite low < high");
}

void clip_denoiser(const Points& x, const NoiseLevel& level, const ValueRange& range, Points& score) {
  if (!(level.sigma > 0)) return;
  const double a = level.scale, var = level.sigma * level.sigma;
  for (Eigen::Index r = 0; r < x.rows(); ++r)
    for (Eigen::Index i = 0; i < x.cols(); ++i) {
      const double denoised = (x(r, i) + var * score(r, i)) / a;
      if (denoised < range.low)
        score(r, i) = (a * range.low - x(r, i)) / var;
      else if (denoised > range.high)
        score(r, i) = (a * range.high - x(r, i)) / var;
    }
}

RangeClippedScore::RangeClippedScore(std::shared_ptr<const ScoreModel> model, ValueRange range)
    : model_(std::move(model)), range_(range) {
  if (!model_) throw std::invalid_argument("range-clipped score: no model");
  range_.validate();
}

void RangeClippedScore::score(const Points& x, const NoiseLevel& level, Points& out) const {
  model_->score(x, level, out);
  clip_denoiser(x, level, range_, out);
}

RangeClippedConditionalScore::RangeClippedConditionalScore(std::shared_ptr<const ConditionalScoreModel> model,
                                                           ValueRange range)
    : model_(std::move(model)), range_(range) {
  if (!model_) throw std::invalid_argument("range-clipped score: no model");
  range_.validate();
}

void RangeClippedConditionalScore::score(const Points& x, const NoiseLevel& level, const Condition& condition,
                                         Points& out) const {
  model_->score(x, level, condition, out);
  clip_denoiser(x, level, range_, out);
}

}  // namespace spindiff::diffusion
