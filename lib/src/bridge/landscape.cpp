#include "spindiff/bridge/landscape.hpp"

#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

#include "spindiff/bridge/two_class.hpp"
#include "spindiff/diffusion/softmax_retrieval.hpp"

namespace spindiff::bridge {

Eigen::VectorXd log_density(const diffusion::Points& x, const diffusion::Points& training,
                            const diffusion::NoiseLevel& level) {
  const double a = level.scale, var = level.sigma * level.sigma;
  if (!(var > 0)) throw std::invalid_argument("log_density: sigma must be positive");
  // log sum_mu exp(-|x - a xi|^2 / 2 var) = lse_mu(beta x.xi + bias_mu) - |x|^2 / 2 var, beta = a / var,
  // bias_mu = -a^2 |xi_mu|^2 / 2 var.
  const Eigen::VectorXd bias = (-0.5 * a * a / var) * training.rowwise().squaredNorm();
  diffusion::Points retrieved;
  Eigen::VectorXd lse;
  diffusion::softmax_retrieval(x, training, a / var, bias, retrieved, &lse);
  const double d = static_cast<double>(training.cols()), p = static_cast<double>(training.rows());
  const double constant = -std::log(p) - 0.5 * d * std::log(2.0 * std::numbers::pi * var);
  return (lse.array() - x.rowwise().squaredNorm().array() / (2.0 * var) + constant).matrix();
}

Eigen::VectorXd landscape_energy(const diffusion::Points& x, const diffusion::Points& training,
                                 const diffusion::NoiseLevel& level) {
  return -(level.sigma * level.sigma) * log_density(x, training, level);
}

int count_minima_1d(const Eigen::VectorXd& v) {
  int count = 0;
  for (Eigen::Index i = 1; i + 1 < v.size(); ++i) count += v[i] < v[i - 1] && v[i] < v[i + 1];
  return count;
}

int count_minima_2d(const Eigen::VectorXd& v, int rows, int cols) {
  if (v.size() != static_cast<Eigen::Index>(rows) * cols) throw std::invalid_argument("count_minima_2d: bad shape");
  int count = 0;
  for (int r = 1; r + 1 < rows; ++r)
    for (int c = 1; c + 1 < cols; ++c) {
      const double centre = v[r * cols + c];
      bool lowest = true;
      for (int dr = -1; dr <= 1 && lowest; ++dr)
        for (int dc = -1; dc <= 1; ++dc)
          if ((dr || dc) && !(centre < v[(r + dr) * cols + (c + dc)])) {
            lowest = false;
            break;
          }
      count += lowest;
    }
  return count;
}

double energy_curvature(const diffusion::Points& training, const Eigen::VectorXd& x, const Eigen::VectorXd& u, double t,
                        double h) {
  diffusion::Points pts(3, x.size());
  pts.row(0) = (x - h * u).transpose();
  pts.row(1) = x.transpose();
  pts.row(2) = (x + h * u).transpose();
  const diffusion::NoiseLevel level{t, ou_scale(t), std::sqrt(ou_delta(t))};
  const Eigen::VectorXd lp = log_density(pts, training, level);
  return -(lp[0] - 2.0 * lp[1] + lp[2]) / (h * h);
}

namespace {
// Bisection on [t_lo, t_hi] of the sign of curvature(t): unstable (<= 0) at t_lo, stable (> 0) at t_hi.
template <class Curvature>
double instability_time(const Curvature& curvature, double t_lo, double t_hi, double tolerance) {
  double lo = t_lo, hi = t_hi;
  const bool lo_stable = curvature(lo) > 0;
  const bool hi_stable = curvature(hi) > 0;
  if (lo_stable || !hi_stable) return std::numeric_limits<double>::quiet_NaN();
  while (hi - lo > tolerance) {
    const double mid = 0.5 * (lo + hi);
    (curvature(mid) > 0 ? hi : lo) = mid;
  }
  return 0.5 * (lo + hi);
}

diffusion::NoiseLevel ou_level(double t) { return {t, ou_scale(t), std::sqrt(ou_delta(t))}; }
}  // namespace

double centre_instability_time(const diffusion::Points& training, const Eigen::VectorXd& centre,
                               const Eigen::VectorXd& u, double t_lo, double t_hi, double tolerance) {
  return instability_time([&](double t) { return energy_curvature(training, centre, u, t); }, t_lo, t_hi, tolerance);
}

double energy_curvature(const diffusion::ScoreModel& score, const Eigen::VectorXd& x, const Eigen::VectorXd& u,
                        double t, double h) {
  if (x.size() != score.dim() || u.size() != score.dim())
    throw std::invalid_argument("energy_curvature: the point and the direction must have the score's dimension");
  diffusion::Points pts(2, x.size());
  pts.row(0) = (x - h * u).transpose();
  pts.row(1) = (x + h * u).transpose();
  diffusion::Points s(2, x.size());
  score.score(pts, ou_level(t), s);
  return -(s.row(1).dot(u.transpose()) - s.row(0).dot(u.transpose())) / (2.0 * h);
}

double centre_instability_time(const diffusion::ScoreModel& score, const Eigen::VectorXd& centre,
                               const Eigen::VectorXd& u, double t_lo, double t_hi, double tolerance, double h) {
  return instability_time([&](double t) { return energy_curvature(score, centre, u, t, h); }, t_lo, t_hi, tolerance);
}

double symmetry_breaking_estimate(const diffusion::Points& training) {
  const Eigen::RowVectorXd mean = training.colwise().mean();
  const Eigen::MatrixXd centred = training.rowwise() - mean;
  const Eigen::MatrixXd cov = centred.transpose() * centred / static_cast<double>(training.rows());
  const double lambda = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(cov).eigenvalues().maxCoeff();
  return 0.5 * std::log1p(lambda);
}

}  // namespace spindiff::bridge
