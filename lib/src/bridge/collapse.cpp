#include "spindiff/bridge/collapse.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "spindiff/diffusion/empirical_score.hpp"
#include "spindiff/diffusion/forward_process.hpp"
#include "spindiff/diffusion/metrics.hpp"
#include "spindiff/diffusion/samplers.hpp"

namespace spindiff::bridge {

Eigen::MatrixXd posterior_weights(const diffusion::Points& x, const diffusion::PointsRef& training,
                                  const diffusion::NoiseLevel& level) {
  const double a = level.scale, inv_var = 1.0 / (level.sigma * level.sigma);
  Eigen::MatrixXd logits = (a * inv_var) * (x * training.transpose());
  logits.rowwise() -= (0.5 * a * a * inv_var) * training.rowwise().squaredNorm().transpose();
  const Eigen::VectorXd row_max = logits.rowwise().maxCoeff();
  logits.colwise() -= row_max;
  logits = logits.array().exp().matrix();
  const Eigen::VectorXd sums = logits.rowwise().sum();
  return sums.cwiseInverse().asDiagonal() * logits;
}

CollapseCurves collapse_curves(const diffusion::ScoreModel& score, const diffusion::PointsRef& training,
                               std::span<const double> times, int measure_every, Eigen::Index n, const Stream& stream,
                               const std::function<void(double)>& progress) {
  if (times.size() < 2 || measure_every < 1) throw std::invalid_argument("collapse_curves: bad grid");
  if (training.rows() < 1 || training.cols() != score.dim())
    throw std::invalid_argument("collapse_curves: the training points must have the score's dimension");
  const diffusion::OrnsteinUhlenbeck ou(times.front(), times.back());
  const std::size_t last = times.size() - 1;

  diffusion::Points x(n, training.cols());
  ou.sample_prior(x, stream.substream(0));
  // Nearest training point at each measurement: the argmax of the posterior (logits are -|x - a xi|^2 / 2 Delta
  // up to a constant in mu).
  std::vector<Eigen::VectorXi> nearest;
  CollapseCurves c;
  auto measure = [&](std::size_t k) {
    const Eigen::MatrixXd w = posterior_weights(x, training, ou.level(times[k]));
    Eigen::VectorXi arg(n);
    double s_sum = 0, s_sq = 0, wmax_sum = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      double s = 0;
      for (Eigen::Index mu = 0; mu < w.cols(); ++mu)
        if (w(i, mu) > 0) s -= w(i, mu) * std::log(w(i, mu));
      Eigen::Index best;
      wmax_sum += w.row(i).maxCoeff(&best);
      arg[i] = static_cast<int>(best);
      s_sum += s;
      s_sq += s * s;
    }
    const double nn = static_cast<double>(n), mean = s_sum / nn;
    c.times.push_back(times[k]);
    c.entropy.push_back(mean);
    c.entropy_err.push_back(n > 1 ? std::sqrt(std::max(0.0, s_sq / nn - mean * mean) / (nn - 1)) : 0.0);
    c.max_weight.push_back(wmax_sum / nn);
    nearest.push_back(std::move(arg));
  };

  measure(0);
  std::size_t pos = 0, segment = 0;
  while (pos < last) {
    const std::size_t next = std::min(last, pos + static_cast<std::size_t>(measure_every));
    diffusion::reverse_sde_euler_maruyama(score, ou, times.subspan(pos, next - pos + 1), x,
                                          stream.substream(1 + segment++));
    pos = next;
    measure(pos);
    if (progress) progress(static_cast<double>(pos) / static_cast<double>(last));
  }

  const Eigen::MatrixXd d2 = diffusion::squared_distances(x, training);
  Eigen::VectorXi landing(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    Eigen::Index best;
    d2.row(i).minCoeff(&best);
    landing[i] = static_cast<int>(best);
  }
  for (const Eigen::VectorXi& arg : nearest)
    c.nn_fraction.push_back(static_cast<double>((arg.array() == landing.array()).count()) / static_cast<double>(n));
  return c;
}

CollapseCurves collapse_curves(const diffusion::Points& training, std::span<const double> times, int measure_every,
                               Eigen::Index n, const Stream& stream, const std::function<void(double)>& progress) {
  return collapse_curves(diffusion::EmpiricalScore(training), training, times, measure_every, n, stream, progress);
}

}  // namespace spindiff::bridge
