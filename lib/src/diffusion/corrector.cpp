#include "spindiff/diffusion/corrector.hpp"

#include <cmath>
#include <stdexcept>

namespace spindiff::diffusion {

CorrectorKind corrector_from_name(const std::string& name) {
  if (name == "none") return CorrectorKind::none;
  if (name == "ula") return CorrectorKind::ula;
  if (name == "mala") return CorrectorKind::mala;
  throw std::invalid_argument("corrector '" + name + "': allowed none, ula, mala");
}

std::string corrector_name(CorrectorKind kind) {
  switch (kind) {
    case CorrectorKind::ula:
      return "ula";
    case CorrectorKind::mala:
      return "mala";
    default:
      return "none";
  }
}

long correct(const WrappedScore& score, const NoiseLevel& level, const CorrectorOptions& options, Points& x,
             BlockNoise& noise, CorrectorStats* stats) {
  if (options.kind == CorrectorKind::none || options.steps <= 0) return 0;
  if (!(options.step > 0)) throw std::invalid_argument("corrector: the step must be positive");
  const double eps = options.step * level.sigma * level.sigma, root = std::sqrt(2.0 * eps);
  const Eigen::Index n = x.rows();
  Points s(n, x.cols()), z(n, x.cols());
  if (options.kind == CorrectorKind::ula) {
    for (int k = 0; k < options.steps; ++k) {
      score.score(x, level, s);
      noise.fill(z);
      x += eps * s + root * z;
    }
    if (stats) stats->proposals += n * options.steps, stats->accepted += n * options.steps;
    return options.steps;
  }
  if (!score.has_log_density()) throw std::invalid_argument("corrector: mala needs a score with a log-density");
  Eigen::VectorXd logp, logp_y;
  Points y(n, x.cols()), s_y(n, x.cols()), u(n, 1);
  score.score(x, level, s);
  score.log_density(x, level, logp);
  for (int k = 0; k < options.steps; ++k) {
    noise.fill(z);
    noise.fill(u);  // one normal per point, turned into a uniform for the acceptance test
    y = x + eps * s + root * z;
    score.score(y, level, s_y);
    score.log_density(y, level, logp_y);
    for (Eigen::Index i = 0; i < n; ++i) {
      // log q(x | y) - log q(y | x) for the Gaussian proposals.
      const double back = (x.row(i) - y.row(i) - eps * s_y.row(i)).squaredNorm();
      const double forth = (root * z.row(i)).squaredNorm();
      const double log_alpha = logp_y[i] - logp[i] - (back - forth) / (4.0 * eps);
      const double uniform = 0.5 * std::erfc(-u(i, 0) / std::sqrt(2.0));
      if (std::log(uniform) < log_alpha) {
        x.row(i) = y.row(i);
        s.row(i) = s_y.row(i);
        logp[i] = logp_y[i];
        if (stats) ++stats->accepted;
      }
    }
    if (stats) stats->proposals += n;
  }
  return options.steps + 1L;
}

Corrector mcmc_corrector(const WrappedScore& score, const CorrectorOptions& options, CorrectorStats* stats) {
  if (options.kind == CorrectorKind::mala && !score.has_log_density())
    throw std::invalid_argument("corrector: mala needs a score with a log-density");
  if (options.kind == CorrectorKind::none) return {};
  return [&score, options, stats](const ScoreModel& given, const NoiseLevel& level, Points& x, BlockNoise& noise) {
    if (&given != &score) throw std::logic_error("corrector: the sampler runs a different score than the corrector's");
    return level.sigma > 0 ? correct(score, level, options, x, noise, stats) : 0L;
  };
}

}  // namespace spindiff::diffusion
