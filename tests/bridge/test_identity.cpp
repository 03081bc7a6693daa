// The bridge's central identity: the empirical score of noised training data is a modern-Hopfield update.
#include <catch2/catch.hpp>
#include <cmath>

#include "spindiff/bridge/landscape.hpp"
#include "spindiff/bridge/modern_hopfield.hpp"
#include "spindiff/bridge/recall.hpp"
#include "spindiff/diffusion/empirical_score.hpp"
#include "spindiff/hopfield/patterns.hpp"

using spindiff::Purpose;
using spindiff::Stream;
using spindiff::bridge::ModernHopfield;
using spindiff::diffusion::EmpiricalScore;
using spindiff::diffusion::NoiseLevel;
using spindiff::diffusion::Points;

namespace {
Points random_pm1(Eigen::Index p, Eigen::Index n, std::uint32_t task) {
  Stream s(11, task, 0, Purpose::patterns);
  return spindiff::bridge::pattern_points(spindiff::hopfield::random_patterns(n, p, 0.0, s));
}
Points gaussian(Eigen::Index rows, Eigen::Index cols, double scale, std::uint32_t task) {
  Stream s(12, task, 0, Purpose::init);
  Points x(rows, cols);
  for (Eigen::Index i = 0; i < rows; ++i)
    for (Eigen::Index j = 0; j < cols; ++j) x(i, j) = scale * s.normal();
  return x;
}
// sum_mu w_mu xi_mu with w = softmax(beta xi.x + bias), in long double, one point at a time: an independent reference.
Eigen::RowVectorXd naive_retrieval(const Points& xi, const Eigen::RowVectorXd& x, double beta, double a) {
  std::vector<long double> logit(static_cast<std::size_t>(xi.rows()));
  long double top = -1e300L;
  for (Eigen::Index mu = 0; mu < xi.rows(); ++mu) {
    long double dot = 0, sq = 0;
    for (Eigen::Index j = 0; j < xi.cols(); ++j) {
      dot += static_cast<long double>(xi(mu, j)) * x[j];
      sq += static_cast<long double>(xi(mu, j)) * xi(mu, j);
    }
    logit[mu] = beta * dot - 0.5L * beta * a * sq;
    top = std::max(top, logit[mu]);
  }
  long double z = 0;
  std::vector<long double> acc(static_cast<std::size_t>(xi.cols()), 0.0L);
  for (Eigen::Index mu = 0; mu < xi.rows(); ++mu) {
    const long double w = std::exp(logit[mu] - top);
    z += w;
    for (Eigen::Index j = 0; j < xi.cols(); ++j) acc[j] += w * xi(mu, j);
  }
  Eigen::RowVectorXd out(xi.cols());
  for (Eigen::Index j = 0; j < xi.cols(); ++j) out[j] = static_cast<double>(acc[j] / z);
  return out;
}
}  // namespace

TEST_CASE("empirical score equals the modern-Hopfield update (equal norms, VE level)", "[identity]") {
  const Points xi = random_pm1(300, 64, 1);  // P > block size: the streaming log-sum-exp crosses blocks
  const Points x = gaussian(40, 64, 1.5, 1);
  for (double sigma : {0.3, 1.0, 4.0}) {
    EmpiricalScore score(xi);
    Points s;
    score.score(x, NoiseLevel{0.0, 1.0, sigma}, s);
    const Points via_score = x + sigma * sigma * s;  // x + sigma^2 grad log p_sigma
    ModernHopfield hopfield(xi, 1.0 / (sigma * sigma));
    Points via_hopfield;
    hopfield.update(x, via_hopfield);
    CHECK((via_score - via_hopfield).cwiseAbs().maxCoeff() < 1e-12);
    for (Eigen::Index i = 0; i < 5; ++i)
      CHECK((via_hopfield.row(i) - naive_retrieval(xi, x.row(i), 1.0 / (sigma * sigma), 1.0)).cwiseAbs().maxCoeff() <
            1e-12);
  }
}

TEST_CASE("OU empirical score is a scaled Hopfield update at beta = a / Delta", "[identity]") {
  const Points xi = random_pm1(50, 32, 2);
  const Points x = gaussian(20, 32, 1.0, 2);
  for (double t : {0.05, 0.5, 2.0}) {
    const double a = std::exp(-t), delta = 1 - std::exp(-2 * t);
    Points s;
    EmpiricalScore(xi).score(x, NoiseLevel{t, a, std::sqrt(delta)}, s);
    Points update;
    ModernHopfield(xi, a / delta).update(x, update);
    CHECK(((x + delta * s) - a * update).cwiseAbs().maxCoeff() < 1e-12);
  }
}

TEST_CASE("unequal norms: the empirical score keeps the norm bias (the naive reference agrees)", "[identity]") {
  const Points xi = gaussian(30, 8, 1.0, 3);
  const Points x = gaussian(6, 8, 1.0, 4);
  const double sigma = 0.7;
  Points s;
  EmpiricalScore(xi).score(x, NoiseLevel{0.0, 1.0, sigma}, s);
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    const Eigen::RowVectorXd ref = naive_retrieval(xi, x.row(i), 1.0 / (sigma * sigma), 1.0);
    CHECK((x.row(i) + sigma * sigma * s.row(i) - ref).cwiseAbs().maxCoeff() < 1e-12);
  }
}

TEST_CASE("the landscape energy -sigma^2 log p_sigma is the modern-Hopfield energy plus a constant", "[identity]") {
  const Points xi = random_pm1(40, 16, 5);
  const Points x = gaussian(25, 16, 1.0, 5);
  const double sigma = 0.8, beta = 1 / (sigma * sigma);
  const Eigen::VectorXd e_diff = spindiff::bridge::landscape_energy(x, xi, NoiseLevel{0.0, 1.0, sigma});
  const Eigen::VectorXd e_hop = ModernHopfield(xi, beta).energy(x);
  const Eigen::VectorXd gap = e_diff - e_hop;
  CHECK((gap.array() - gap[0]).abs().maxCoeff() < 1e-12);
}

TEST_CASE("the Hopfield update is the energy's fixed-point map: grad E = x - update(x)", "[identity]") {
  const Points xi = gaussian(20, 5, 1.0, 6);
  const Eigen::RowVectorXd x = gaussian(1, 5, 0.5, 7).row(0);
  const ModernHopfield hopfield(xi, 2.0);
  Points u;
  hopfield.update(x, u);
  const double h = 1e-5;
  for (Eigen::Index j = 0; j < 5; ++j) {
    Points plus = x, minus = x;
    plus(0, j) += h;
    minus(0, j) -= h;
    const double grad = (hopfield.energy(plus)[0] - hopfield.energy(minus)[0]) / (2 * h);
    CHECK(grad == Approx(x[j] - u(0, j)).margin(1e-7));  // central difference error O(h^2) ~ 1e-10 times E'''
  }
}

TEST_CASE("modern Hopfield recall converges and never raises the energy", "[identity]") {
  const Points xi = random_pm1(20, 50, 8);
  Points cue = xi.topRows(3);
  cue.col(0) *= -1;
  cue.col(1) *= -1;
  const ModernHopfield hopfield(xi, 0.5);
  Points x = cue, next;
  Eigen::VectorXd e = hopfield.energy(x);
  for (int k = 0; k < 5; ++k) {
    hopfield.update(x, next);
    const Eigen::VectorXd e_next = hopfield.energy(next);
    CHECK((e_next - e).maxCoeff() <= 1e-12);  // the CCCP update decreases E (Ramsauer et al., Theorem 1)
    x = next;
    e = e_next;
  }
  const auto r = hopfield.recall(cue, 50);
  CHECK(r.converged);
  // Ramsauer et al. (Theorem 5): the fixed point lies within 2 (P - 1) exp(-beta Delta) M of the pattern up to the
  // attraction-radius correction; Delta is the separation xi_mu . xi_mu - max_nu xi_mu . xi_nu. Half of Delta
  // in the exponent covers the correction.
  const Eigen::MatrixXd gram = xi * xi.transpose();
  for (Eigen::Index mu = 0; mu < 3; ++mu) {
    double other = -1e300;
    for (Eigen::Index nu = 0; nu < xi.rows(); ++nu)
      if (nu != mu) other = std::max(other, gram(mu, nu));
    const double separation = gram(mu, mu) - other, M = std::sqrt(50.0);
    const double bound = 2.0 * (xi.rows() - 1) * std::exp(-0.5 * separation / 2) * M;
    CHECK((r.state.row(mu) - xi.row(mu)).norm() < bound);
    CHECK(bound < 1.0);  // the bound is informative here
  }
}
