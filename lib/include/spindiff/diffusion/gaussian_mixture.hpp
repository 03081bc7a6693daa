#pragma once
// Gaussian-mixture data p_0 = sum_k w_k N(mu_k, Sigma_k) and its exact score at every noise level: the noised
// marginal is again a mixture, sum_k w_k N(a mu_k, a^2 Sigma_k + sigma^2 I).
#include <vector>

#include "spindiff/core/rng.hpp"
#include "spindiff/diffusion/score.hpp"

namespace spindiff::diffusion {

struct GaussianMixture {
  Eigen::VectorXd weights;                   // K, normalised by the constructor helpers
  Points means;                              // K x d
  std::vector<Eigen::MatrixXd> covariances;  // K matrices d x d, symmetric positive definite

  int components() const { return static_cast<int>(weights.size()); }
  int dim() const { return static_cast<int>(means.cols()); }
  // Throws std::invalid_argument when shapes disagree, a weight is negative or a covariance is not SPD.
  void validate() const;
};

// Isotropic components: Sigma_k = stds[k]^2 I. Weights are normalised to sum 1.
GaussianMixture isotropic_mixture(std::vector<double> weights, const Points& means, std::vector<double> stds);

// n independent samples (rows), component choice and noise from the stream.
Points sample_mixture(const GaussianMixture& mixture, Eigen::Index n, Stream& stream);

class GaussianMixtureScore final : public ScoreModel {
 public:
  explicit GaussianMixtureScore(GaussianMixture mixture);
  void score(const Points& x, const NoiseLevel& level, Points& out) const override;
  int dim() const override { return mixture_.dim(); }

  // log p_t(x) for each row (for tests and diagnostics).
  Eigen::VectorXd log_density(const Points& x, const NoiseLevel& level) const;
  // Posterior probability of each component given x_t (n x K).
  Eigen::MatrixXd responsibilities(const Points& x, const NoiseLevel& level) const;
  const GaussianMixture& mixture() const { return mixture_; }

 private:
  struct Factors {
    std::vector<Eigen::MatrixXd> chol;  // L_k with L_k L_k^T = a^2 Sigma_k + sigma^2 I
    Eigen::VectorXd log_norm;           // log w_k - log det(C_k)/2 - (d/2) log 2 pi
    Points scaled_means;                // a mu_k
  };
  Factors factorise(const NoiseLevel& level) const;
  // Per-component log(w_k N(x; a mu_k, C_k)) into logp (n x K); grads (optional) gets -C_k^{-1}(x - a mu_k).
  void evaluate(const Factors& f, const Eigen::Ref<const Points>& x, Eigen::MatrixXd& logp,
                std::vector<Points>* grads) const;
  GaussianMixture mixture_;
};

}  // namespace spindiff::diffusion
