// The two-class model: exact score against the general mixture score, and the closed-form time scales.
#include <catch2/catch.hpp>
#include <cmath>

#include "spindiff/bridge/curves.hpp"
#include "spindiff/bridge/landscape.hpp"
#include "spindiff/bridge/two_class.hpp"
#include "spindiff/diffusion/empirical_score.hpp"

using namespace spindiff::bridge;
using spindiff::diffusion::GaussianMixtureScore;

TEST_CASE("two-class score equals the Gaussian-mixture score of the same mixture", "[two_class]") {
  const int d = 7;
  Eigen::VectorXd mu = Eigen::VectorXd::LinSpaced(d, 0.5, 1.5);
  for (double s : {0.5, 1.0}) {
    const TwoClassScore two(mu, s);
    const GaussianMixtureScore general(two_class_mixture(mu, s));
    spindiff::Stream rng(3, 0, 0, spindiff::Purpose::init);
    Points x(30, d);
    for (Eigen::Index i = 0; i < x.rows(); ++i)
      for (int j = 0; j < d; ++j) x(i, j) = 2.0 * rng.normal();
    for (double t : {0.01, 0.3, 1.0, 3.0}) {
      const NoiseLevel level{t, ou_scale(t), std::sqrt(ou_delta(t))};
      Points a, b;
      two.score(x, level, a);
      general.score(x, level, b);
      CHECK((a - b).cwiseAbs().maxCoeff() < 1e-10 * (1 + b.cwiseAbs().maxCoeff()));
    }
  }
}

TEST_CASE("clone agreement theory: limits and the value at signal-to-noise 1", "[two_class]") {
  const double mu = 16.0;                                              // |mu| = sqrt(256)
  CHECK(speciation_agreement_level() == Approx(0.7752).margin(5e-5));  // docs/references.md
  // With s = 1 (Gamma_t = 1) the signal-to-noise |mu| e^{-t} is 1 at t = ln |mu|, whatever d.
  CHECK(clone_agreement_theory(std::log(mu), mu, 1.0) == Approx(0.7752).margin(5e-5));
  CHECK(clone_agreement_theory(std::log(8.0), 8.0, 1.0) == Approx(0.7752).margin(5e-5));
  CHECK(clone_agreement_theory(12.0, mu, 1.0) == Approx(0.5).margin(1e-6));  // classes forgotten
  CHECK(clone_agreement_theory(0.01, mu, 1.0) == Approx(1.0).margin(1e-6));  // class decided
  // Any s: signal-to-noise 1 where |mu|^2 e^{-2t} = Gamma_t, i.e. e^{2t} = |mu|^2 + 1 - s^2 (sides = classes for
  // |mu| >> s).
  for (double s : {0.0, 0.25, 2.0, 4.0}) {
    INFO("s = " << s);
    CHECK(clone_agreement_theory(0.5 * std::log(mu * mu + 1 - s * s), mu, s) == Approx(0.7752).margin(5e-5));
  }
  // When the classes overlap (|mu| = s) the side is not the class: as t -> 0 a continuation ends where it
  // starts, so both land on the same side (phi -> 1) although the class posterior agreement is only 0.7752.
  CHECK(clone_agreement_theory(1e-4, 1.0, 1.0) > 0.99);
  CHECK(class_agreement(1.0) < 0.78);
  CHECK(data_covariance_top_eigenvalue(16.0, 2.0) == Approx(260.0));
  CHECK(speciation_time(16.0, 2.0) == Approx(0.5 * std::log(260.0)));
}

TEST_CASE("collapse time and excess entropy", "[two_class]") {
  CHECK(collapse_time(20000, 256, 1.0) == Approx(1.299).margin(5e-4));  // docs/references.md
  CHECK(collapse_time(20000, 1024, 1.0) == Approx(1.978).margin(5e-4));
  for (auto [P, d] : {std::pair{1000.0, 32}, std::pair{100.0, 16}, std::pair{20000.0, 256}})
    CHECK(excess_entropy(collapse_time(P, d, 1.0), P, d, 1.0) == Approx(0.0).margin(1e-12));
  CHECK(excess_entropy(0.5, 1000, 32, 1.0) < excess_entropy(1.0, 1000, 32, 1.0));  // grows with noise
}

TEST_CASE("symmetry breaking of two points at +-1 at t* = ln 2 / 2", "[landscape]") {
  Points two(2, 1);
  two << -1.0, 1.0;
  const Eigen::VectorXd zero = Eigen::VectorXd::Zero(1), u = Eigen::VectorXd::Ones(1);
  const double t_star = centre_instability_time(two, zero, u, 0.05, 2.0);
  CHECK(std::abs(t_star - 0.5 * std::log(2.0)) < 0.02);
  CHECK(t_star == Approx(0.5 * std::log(2.0)).margin(1e-5));  // finite differences, h = 1e-3
  CHECK(symmetry_breaking_estimate(two) == Approx(0.5 * std::log(2.0)));
  // The energy has one minimum above t*, two below (and they sit at the points as t -> 0).
  Points grid(801, 1);
  for (int i = 0; i < 801; ++i) grid(i, 0) = -2.0 + 4.0 * i / 800;
  auto minima = [&](double t) {
    return count_minima_1d(landscape_energy(grid, two, NoiseLevel{t, ou_scale(t), std::sqrt(ou_delta(t))}));
  };
  CHECK(minima(t_star + 0.05) == 1);
  CHECK(minima(t_star - 0.05) == 2);
  CHECK(minima(0.01) == 2);
}

TEST_CASE("the symmetry breaking from the score alone: t* = ln 2 / 2 for two points at +-1", "[landscape]") {
  Points two(2, 2);
  two << -1.0, 0.0, 1.0, 0.0;
  const spindiff::diffusion::EmpiricalScore score(two);
  const Eigen::VectorXd zero = Eigen::VectorXd::Zero(2), u = Eigen::VectorXd::Unit(2, 0);
  // At the centre -log p_t curves by (Delta - a^2) / Delta^2 along the pair; the central difference of the score
  // (h = 1e-4) is off by O(h^2).
  for (double t : {0.1, 0.5, 1.0}) {
    const double delta = ou_delta(t), a2 = ou_scale(t) * ou_scale(t);
    CHECK(energy_curvature(score, zero, u, t) == Approx((delta - a2) / (delta * delta)).epsilon(1e-6));
  }
  // Across the pair (u = e_2) the centre never stops being a minimum: no sign change, NaN.
  CHECK(std::isnan(centre_instability_time(score, zero, Eigen::VectorXd::Unit(2, 1), 0.05, 2.0)));
  CHECK(centre_instability_time(score, zero, u, 0.05, 2.0) == Approx(0.5 * std::log(2.0)).margin(1e-6));
}

TEST_CASE("log density integrates to one", "[landscape]") {
  Points pts(3, 2);
  pts << -1, 0, 1, 0.5, 0.2, -0.7;
  const NoiseLevel level{0.4, ou_scale(0.4), std::sqrt(ou_delta(0.4))};
  const int n = 241;
  const double h = 12.0 / (n - 1);
  Points grid(n * n, 2);
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c) grid.row(r * n + c) << -6 + c * h, -6 + r * h;
  const double mass = log_density(grid, pts, level).array().exp().sum() * h * h;
  CHECK(mass == Approx(1.0).margin(1e-6));
}

TEST_CASE("2-D minima counting", "[landscape]") {
  Eigen::VectorXd v(25);
  for (int r = 0; r < 5; ++r)
    for (int c = 0; c < 5; ++c) v[r * 5 + c] = (r - 2) * (r - 2) + (c - 1) * (c - 1) * (c - 3) * (c - 3);
  CHECK(count_minima_2d(v, 5, 5) == 2);
}

TEST_CASE("crossings and grids", "[curves]") {
  const std::vector<double> t = backward_times(3.0, 0.5, 0.1);
  CHECK(t.size() == 26);
  CHECK(t.front() == 3.0);
  CHECK(t.back() == 0.5);
  const std::vector<double> xs{3, 2, 1}, ys{0.5, 0.7, 0.9};
  CHECK(*first_crossing(xs, ys, 0.6) == Approx(2.5));
  CHECK(!first_crossing(xs, ys, 0.95));
  CHECK(nearest_index(t, 1.04) == 20);
}
