#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>
#include <vector>

#include "spindiff/diffusion/datasets.hpp"
#include "spindiff/diffusion/gaussian_mixture.hpp"
#include "spindiff/diffusion/metrics.hpp"

using namespace spindiff::diffusion;
using spindiff::Purpose;
using spindiff::Stream;

namespace {
Points gaussian(Eigen::Index n, int d, double shift, Stream& s) {
  Points x(n, d);
  for (Eigen::Index i = 0; i < n; ++i)
    for (int j = 0; j < d; ++j) x(i, j) = s.normal() + (j == 0 ? shift : 0.0);
  return x;
}
}  // namespace

TEST_CASE("unbiased MMD^2 matches the Gaussian closed form", "[diffusion][metrics]") {
  // X ~ N(0, I_2), Y ~ N(delta e_1, I_2), kernel width h: E k = (h^2 / (h^2 + 2))^(d/2) exp(-D^2 / (2 (h^2 + 2))),
  // MMD^2 = 2 (h^2/(h^2+2)) (1 - exp(-delta^2 / (2 (h^2 + 2)))) in d = 2.
  const double h = 1.0, delta = 1.0;
  const double c = h * h / (h * h + 2), exact = 2 * c * (1 - std::exp(-delta * delta / (2 * (h * h + 2))));
  const int repeats = 20;
  std::vector<double> est, null_est;
  for (int r = 0; r < repeats; ++r) {
    Stream s(21, 0, r, Purpose::evaluation);
    const Points x = gaussian(400, 2, 0, s), y = gaussian(400, 2, delta, s), z = gaussian(400, 2, 0, s);
    est.push_back(mmd2_unbiased(x, y, h));
    null_est.push_back(mmd2_unbiased(x, z, h));
  }
  auto mean_se = [](const std::vector<double>& v) {
    double m = 0, q = 0;
    for (double e : v) m += e;
    m /= v.size();
    for (double e : v) q += (e - m) * (e - m);
    return std::pair{m, std::sqrt(q / (v.size() - 1) / v.size())};
  };
  const auto [m, se] = mean_se(est);
  const auto [m0, se0] = mean_se(null_est);
  CHECK(std::abs(m - exact) < 4 * se);
  CHECK(std::abs(m0) < 4 * se0);  // unbiased: zero mean under the null
}

TEST_CASE("sliced W2 between N(0, I) and N(m, I) is |m| / sqrt(d)", "[diffusion][metrics]") {
  Stream s(22, 0, 0, Purpose::evaluation);
  const int d = 2, projections = 400;
  const double shift = 2.0;
  const Points x = gaussian(20000, d, 0, s), y = gaussian(15000, d, shift, s);
  const double sw = sliced_wasserstein(x, y, projections, s);
  // Mean over directions of (m.theta)^2 = |m|^2 / d; in d = 2 its Monte Carlo s.e. is |m|^2 / (2 sqrt(2 K)).
  // Finite samples add O(1/sqrt(n)) << that.
  const double se_sq = shift * shift / (2 * std::sqrt(2.0 * projections));
  CHECK(std::abs(sw * sw - shift * shift / d) < 4 * se_sq + 0.01);
}

TEST_CASE("mode fractions and nearest distances against brute force", "[diffusion][metrics]") {
  Stream s(23, 0, 0, Purpose::evaluation);
  const Points train = gaussian(50, 3, 0, s), samples = gaussian(30, 3, 0.5, s);
  const Eigen::MatrixXd nn = nearest_two_distances(samples, train);
  for (Eigen::Index i = 0; i < samples.rows(); ++i) {
    std::vector<double> d;
    for (Eigen::Index j = 0; j < train.rows(); ++j) d.push_back((samples.row(i) - train.row(j)).norm());
    std::sort(d.begin(), d.end());
    CHECK(nn(i, 0) == Approx(d[0]).epsilon(1e-10));
    CHECK(nn(i, 1) == Approx(d[1]).epsilon(1e-10));
  }
  const Points modes = (Points(2, 1) << -1.0, 1.0).finished();
  const Points pts = (Points(5, 1) << -3.0, -0.5, 0.2, 0.9, 4.0).finished();
  const Eigen::VectorXd f = mode_fractions(pts, modes);
  CHECK(f[0] == Approx(0.4));
  CHECK(f[1] == Approx(0.6));
}

TEST_CASE("data sets have their defining moments", "[diffusion][data]") {
  const Eigen::Index n = 40000;
  Stream s(24, 0, 0, Purpose::patterns);
  // Two moons: mean of the outer moon (0, 2/pi), inner (1, 1/2 - 2/pi): overall (1/2, 1/4); per-coordinate
  // variance below 1, so 4 s.e. < 4 / sqrt(n) = 0.02.
  const Points moons = two_moons(n, 0.05, s);
  CHECK(std::abs(moons.col(0).mean() - 0.5) < 0.02);
  CHECK(std::abs(moons.col(1).mean() - 0.25) < 0.02);
  // Rings: radius mean over the two radii, angles uniform (mean position 0).
  const Points r = rings(n, {1.0, 3.0}, 0.0, s);
  const Eigen::ArrayXd radius = r.rowwise().norm().array();
  CHECK((((radius - 1.0).abs() < 1e-12) || ((radius - 3.0).abs() < 1e-12)).all());
  CHECK(std::abs(radius.mean() - 2.0) < 4 * 1.0 / std::sqrt(double(n)));
  CHECK(std::abs(r.col(0).mean()) < 4 * std::sqrt(5.0 / 2 / n));
  // Swiss roll: noiseless points lie on r = t / 5 with t in [1.5 pi, 4.5 pi].
  const Points roll = swiss_roll(1000, 0.0, s);
  const Eigen::ArrayXd rr = roll.rowwise().norm().array();
  CHECK(rr.minCoeff() >= 1.5 * std::numbers::pi / 5 - 1e-12);
  CHECK(rr.maxCoeff() <= 4.5 * std::numbers::pi / 5 + 1e-12);
  // Mixture sampling: component frequencies and means.
  const Points modes = (Points(2, 2) << -5, -5, 5, 5).finished();
  const Points mix = sample_mixture(isotropic_mixture({0.2, 0.8}, modes, {1.0, 1.0}), n, s);
  const double f0 = mode_fractions(mix, modes)[0];
  CHECK(std::abs(f0 - 0.2) < 4 * std::sqrt(0.16 / n));
}
