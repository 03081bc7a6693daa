#include "spindiff/hopfield/ags.hpp"

#include <Eigen/Dense>
#include <boost/math/tools/minima.hpp>
#include <boost/math/tools/roots.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <stdexcept>

namespace spindiff::hopfield::ags {

double alpha_of_y(double y) {
  const double g = (std::erf(y) - 2.0 * y / std::sqrt(std::numbers::pi) * std::exp(-y * y)) / y;
  return 0.5 * g * g;
}

Critical critical() {
  static const Critical c = [] {
    // α(y) is unimodal on (0, ∞): it rises from 0 and decays like 1/(2y²).
    const auto best = boost::math::tools::brent_find_minima([](double y) { return -alpha_of_y(y); }, 0.5, 3.0,
                                                            std::numeric_limits<double>::digits / 2);
    return Critical{-best.second, best.first, std::erf(best.first)};
  }();
  return c;
}

double retrieval_overlap(double alpha) {
  if (alpha < 0.0) throw std::invalid_argument("retrieval_overlap: alpha must be >= 0");
  if (alpha == 0.0) return 1.0;
  const Critical c = critical();
  if (alpha >= c.alpha) return 0.0;
  // α(y) decreases monotonically beyond y_c: bracket the root there.
  double hi = 2.0 * c.y;
  while (alpha_of_y(hi) > alpha) hi *= 2.0;
  std::uintmax_t iterations = 200;
  const auto root = boost::math::tools::toms748_solve([alpha](double y) { return alpha_of_y(y) - alpha; }, c.y, hi,
                                                      boost::math::tools::eps_tolerance<double>(50), iterations);
  return std::erf(0.5 * (root.first + root.second));
}

// ---- finite temperature ----

GaussHermite::GaussHermite(int n) {
  // Jacobi matrix of the probabilists' Hermite polynomials: zero diagonal, off-diagonal sqrt(k).
  Eigen::MatrixXd jacobi = Eigen::MatrixXd::Zero(n, n);
  for (int k = 1; k < n; ++k) jacobi(k - 1, k) = jacobi(k, k - 1) = std::sqrt(static_cast<double>(k));
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(jacobi);
  nodes.resize(n);
  weights.resize(n);
  for (int k = 0; k < n; ++k) {
    nodes[k] = eig.eigenvalues()[k];
    weights[k] = eig.eigenvectors()(0, k) * eig.eigenvectors()(0, k);
  }
}

double spin_glass_temperature(double alpha) { return 1.0 + std::sqrt(alpha); }

namespace {

Solution iterate(double alpha, double T, double m0, double q0, const GaussHermite& gh, bool stop_when_m_vanishes) {
  const double beta = 1.0 / T;
  Solution s{m0, q0, 0.0, false};
  const double damping = 0.5;
  for (int it = 0; it < 200000; ++it) {
    const double stiffness = 1.0 - beta * (1.0 - s.q);
    if (stiffness <= 0.0) return {0.0, s.q, INFINITY, false};  // outside the RS solution's domain
    s.r = s.q / (stiffness * stiffness);
    const double width = std::sqrt(alpha * s.r);
    double m = 0, q = 0;
    for (std::size_t k = 0; k < gh.nodes.size(); ++k) {
      const double t = std::tanh(beta * (s.m + width * gh.nodes[k]));
      m += gh.weights[k] * t;
      q += gh.weights[k] * t * t;
    }
    const double change = std::abs(m - s.m) + std::abs(q - s.q);
    s.m = (1 - damping) * s.m + damping * m;
    s.q = (1 - damping) * s.q + damping * q;
    if (std::abs(s.m) < 1e-9) {
      s.m = 0.0;  // m = 0 is invariant: the retrieval branch is lost
      if (stop_when_m_vanishes) break;
    }
    if (change < 1e-12) {
      s.converged = true;
      break;
    }
  }
  const double stiffness = 1.0 - beta * (1.0 - s.q);
  s.r = s.q / (stiffness * stiffness);
  return s;
}

}  // namespace

Solution solve(double alpha, double T, double m0, double q0, const GaussHermite& gh) {
  return iterate(alpha, T, m0, q0, gh, false);
}

double retrieval_temperature(double alpha, double tolerance) {
  static const GaussHermite gh(201);
  auto retrieves = [&](double T) {
    const Solution s = iterate(alpha, T, 1.0, 1.0, gh, true);
    return s.m > 1e-3;
  };
  double lo = 0.02, hi = 1.0 + 1e-9;  // retrieval states never survive above T = 1
  if (!retrieves(lo)) return 0.0;
  while (hi - lo > tolerance) {
    const double mid = 0.5 * (lo + hi);
    (retrieves(mid) ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace spindiff::hopfield::ags
