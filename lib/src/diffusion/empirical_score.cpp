#include "spindiff/diffusion/empirical_score.hpp"

#include <stdexcept>

namespace spindiff::diffusion {

EmpiricalScore::EmpiricalScore(Points training, RetrievalBlocks blocks)
    : training_(std::move(training)), half_sq_norms_(0.5 * training_.rowwise().squaredNorm()), blocks_(blocks) {
  if (training_.rows() == 0) throw std::invalid_argument("empirical score: empty training set");
}

void EmpiricalScore::denoise(const Points& x, const NoiseLevel& level, Points& out) const {
  if (!(level.sigma > 0)) throw std::invalid_argument("empirical score: sigma must be positive");
  const double inv_var = 1.0 / (level.sigma * level.sigma), a = level.scale;
  const Eigen::VectorXd bias = (-a * a * inv_var) * half_sq_norms_;
  softmax_retrieval(x, training_, a * inv_var, bias, out, nullptr, blocks_);
}

void EmpiricalScore::score(const Points& x, const NoiseLevel& level, Points& out) const {
  denoise(x, level, out);
  const double inv_var = 1.0 / (level.sigma * level.sigma);
  out = (level.scale * inv_var) * out - inv_var * x;
}

}  // namespace spindiff::diffusion
