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

void correct(const WrappedScore& score, const NoiseLevel& level, const CorrectorOptions& options, Points& x,
             BlockNoise& noise, CorrectorStats* stats) {
  if (options.kind == CorrectorKind::none || options.steps <= 0) return;
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
    return;
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
}

long reverse_sde_with_corrector(const WrappedScore& score, const ForwardProcess& process, std::span<const double> times,
                                const CorrectorOptions& options, Points& x, const Stream& stream,
                                CorrectorStats* stats) {
  if (score.dim() != x.cols()) throw std::invalid_argument("sampler: points and score model differ in dimension");
  if (times.size() < 2) throw std::invalid_argument("sampler: need at least two times");
  for (std::size_t i = 1; i < times.size(); ++i)
    if (!(times[i] < times[i - 1])) throw std::invalid_argument("sampler: times must decrease strictly");
  const long start = score.evaluations();
  BlockNoise noise(stream), corrector_noise(stream.substream(1u << 30));
  Points s(x.rows(), x.cols()), z(x.rows(), x.cols());
  for (std::size_t k = 0; k + 1 < times.size(); ++k) {
    const double t = times[k], dt = t - times[k + 1];
    const double f = process.drift_rate(t), g = process.diffusion(t);
    score.score(x, process.level(t), s);
    x += (g * g * dt) * s - (f * dt) * x;
    noise.fill(z);
    x += (g * std::sqrt(dt)) * z;
    if (process.sigma(times[k + 1]) > 0)
      correct(score, process.level(times[k + 1]), options, x, corrector_noise, stats);
  }
  return score.evaluations() - start;
}

}  // namespace spindiff::diffusion
