#pragma once
// The exact score of a finite training set {xi_mu} pushed through the forward process,
// p_t(x) = (1/P) sum_mu N(x; a xi_mu, sigma^2 I):
//   grad log p_t(x) = (a sum_mu w_mu xi_mu - x) / sigma^2,  w = softmax_mu((a xi_mu.x - a^2 |xi_mu|^2 / 2) / sigma^2),
// i.e. a modern-Hopfield retrieval with beta = a / sigma^2 and a norm bias. A sampler driven by it can only
// reproduce (memorise) training points as sigma -> 0.
#include "spindiff/diffusion/score.hpp"
#include "spindiff/diffusion/softmax_retrieval.hpp"

namespace spindiff::diffusion {

class EmpiricalScore final : public ScoreModel {
 public:
  explicit EmpiricalScore(Points training, RetrievalBlocks blocks = {});
  void score(const Points& x, const NoiseLevel& level, Points& out) const override;
  int dim() const override { return static_cast<int>(training_.cols()); }

  // The posterior mean E[x_0 | x_t = x] = sum_mu w_mu xi_mu (Tweedie: x + sigma^2 score = a E[x_0 | x]).
  void denoise(const Points& x, const NoiseLevel& level, Points& out) const;
  const Points& training() const { return training_; }

 private:
  Points training_;
  Eigen::VectorXd half_sq_norms_;  // |xi_mu|^2 / 2
  RetrievalBlocks blocks_;
};

}  // namespace spindiff::diffusion
