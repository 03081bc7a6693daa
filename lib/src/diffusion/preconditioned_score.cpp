#include "spindiff/diffusion/preconditioned_score.hpp"

#include <stdexcept>

namespace spindiff::diffusion {

PreconditionedScore::PreconditionedScore(std::shared_ptr<const ScoreNetwork> network) : network_(std::move(network)) {
  if (!network_) throw std::invalid_argument("preconditioned score: no network");
}

PreconditionedScore::PreconditionedScore(const ScoreNetwork& network)
    : network_(std::shared_ptr<const ScoreNetwork>(), &network) {}

void PreconditionedScore::score(const Points& x, const NoiseLevel& level, Points& out) const {
  network_->output(x, level, out);
  precondition(network_->architecture(), x, level, out);
}

void precondition(const MlpArchitecture& arch, const Points& x, const NoiseLevel& level, Points& out) {
  // out = x_coefficient x + output_coefficient F in place
  double x_coefficient = 0.0, output_coefficient = -1.0 / level.sigma;  // epsilon
  if (arch.parameterisation == Parameterisation::edm) {
    const EdmCoefficients c = edm_coefficients(level.scale, level.sigma, arch.data_std);
    x_coefficient = -c.c_in * c.c_in;
    output_coefficient = level.scale * arch.data_std * c.c_in / level.sigma;
  }
  for (Eigen::Index r = 0; r < x.rows(); ++r)
    for (Eigen::Index i = 0; i < x.cols(); ++i) out(r, i) = x_coefficient * x(r, i) + output_coefficient * out(r, i);
}

}  // namespace spindiff::diffusion
