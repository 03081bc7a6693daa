#include "spindiff/bridge/modern_hopfield.hpp"

#include <cmath>
#include <stdexcept>

namespace spindiff::bridge {

ModernHopfield::ModernHopfield(Points patterns, double beta, diffusion::RetrievalBlocks blocks)
    : patterns_(std::move(patterns)), beta_(beta), blocks_(blocks) {
  if (patterns_.rows() == 0) throw std::invalid_argument("modern Hopfield: no patterns");
  if (!(beta > 0)) throw std::invalid_argument("modern Hopfield: beta must be positive");
  max_half_sq_norm_ = 0.5 * patterns_.rowwise().squaredNorm().maxCoeff();
}

void ModernHopfield::update(const Points& states, Points& out) const {
  diffusion::softmax_retrieval(states, patterns_, beta_, Eigen::VectorXd(), out, nullptr, blocks_);
}

Eigen::VectorXd ModernHopfield::energy(const Points& states) const {
  Points retrieved;
  Eigen::VectorXd lse;
  diffusion::softmax_retrieval(states, patterns_, beta_, Eigen::VectorXd(), retrieved, &lse, blocks_);
  const double constant = std::log(static_cast<double>(patterns_.rows())) / beta_ + max_half_sq_norm_;
  return (-lse.array() / beta_ + 0.5 * states.rowwise().squaredNorm().array() + constant).matrix();
}

HopfieldRecall ModernHopfield::recall(const Points& cues, int max_iterations, double tolerance) const {
  HopfieldRecall r;
  r.state = cues;
  Points next;
  while (r.iterations < max_iterations) {
    update(r.state, next);
    ++r.iterations;
    const double change = (next - r.state).cwiseAbs().maxCoeff();
    r.state.swap(next);
    if (change <= tolerance) {
      r.converged = true;
      break;
    }
  }
  return r;
}

}  // namespace spindiff::bridge
