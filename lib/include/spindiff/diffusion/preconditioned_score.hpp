#pragma once
// Preconditioning as a wrapper score: the network's raw output F becomes the score
//   epsilon: F predicts the noise, score = −F/σ;
//   edm:     the denoiser D = c_skip x + c_out F estimates x_0 (Karras et al. 2022), score = (a D − x)/σ²
//            = −c_in² x + (a s_data c_in/σ) F.
// The parameterisation and s_data are the network's (stored with its weights). Other wrappers (guidance,
// composition, unit scale) wrap any ScoreModel the same way, so every sampler serves them all.
#include <memory>

#include "spindiff/diffusion/mlp.hpp"
#include "spindiff/diffusion/score.hpp"

namespace spindiff::diffusion {

// out holds the raw output F on entry and the score on return (in place).
void precondition(const MlpArchitecture& arch, const Points& x, const NoiseLevel& level, Points& out);

class PreconditionedScore final : public ScoreModel {
 public:
  explicit PreconditionedScore(std::shared_ptr<const ScoreNetwork> network);
  // A wrapper around a network owned elsewhere (it must outlive the wrapper).
  explicit PreconditionedScore(const ScoreNetwork& network);

  void score(const Points& x, const NoiseLevel& level, Points& out) const override;
  int dim() const override { return network_->dim(); }
  const ScoreNetwork& network() const { return *network_; }

 private:
  std::shared_ptr<const ScoreNetwork> network_;
};

}  // namespace spindiff::diffusion
