#pragma once
// The modern (continuous, dense) Hopfield network of Ramsauer et al. 2020: stored patterns x_mu (rows) and the
// update xi <- X softmax(beta X^T xi), which is one call of diffusion::softmax_retrieval, the same code path the
// empirical diffusion score runs on. Its energy
//   E(xi) = -(1/beta) log sum_mu exp(beta x_mu . xi) + |xi|^2 / 2 + (1/beta) log P + M^2 / 2,  M = max_mu |x_mu|,
// is minus sigma^2 log p_sigma(xi) up to a constant when beta = 1/sigma^2 and all patterns have equal norms.
#include "spindiff/diffusion/score.hpp"
#include "spindiff/diffusion/softmax_retrieval.hpp"

namespace spindiff::bridge {

using diffusion::Points;

struct HopfieldRecall {
  Points state;        // the final states (one row per query)
  int iterations = 0;  // updates applied
  bool converged = false;
};

class ModernHopfield {
 public:
  ModernHopfield(Points patterns, double beta, diffusion::RetrievalBlocks blocks = {});

  // One synchronous update of every row of `states`: out = softmax(beta states X^T) X.
  void update(const Points& states, Points& out) const;
  // E(xi) for every row.
  Eigen::VectorXd energy(const Points& states) const;
  // Iterates the update until no coordinate moves by more than `tolerance` (max norm over all rows) or
  // `max_iterations` updates were applied.
  HopfieldRecall recall(const Points& cues, int max_iterations, double tolerance = 1e-10) const;

  const Points& patterns() const { return patterns_; }
  double beta() const { return beta_; }
  int dim() const { return static_cast<int>(patterns_.cols()); }

 private:
  Points patterns_;
  double beta_;
  double max_half_sq_norm_;  // M^2 / 2
  diffusion::RetrievalBlocks blocks_;
};

}  // namespace spindiff::bridge
