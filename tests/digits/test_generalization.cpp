// bridge.generalization: two networks trained on disjoint sets of P digits copy their own training digits at
// small P and produce the same digit from the same noise at large P (Kadkhodaie et al. 2024).
#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>

#include "bridge/kind_runner.hpp"

TEST_CASE("bridge.generalization: cross-similarity rises and copying falls as P grows", "[digits][physics]") {
  auto run = [](std::int64_t P) {
    return spindiff::test::run_kind("bridge.generalization",
                                    {{"P", P}, {"train_steps", std::int64_t{3000}}, {"samples", std::int64_t{200}}}, 3);
  };
  const auto small = run(8), large = run(256);
  const double se_cross = std::hypot(small.scalar("cross_similarity_err"), large.scalar("cross_similarity_err"));
  const double se_copy = std::hypot(small.scalar("copy_fraction_err"), large.scalar("copy_fraction_err"));
  // The errors are standard errors over 200 noises (copy fraction: over 400 outputs), bounded so a useless
  // error bar cannot make the comparison pass.
  REQUIRE(se_cross < 0.05);
  REQUIRE(se_copy < 0.05);
  CHECK(large.scalar("cross_similarity") - small.scalar("cross_similarity") > 4 * se_cross);
  CHECK(small.scalar("copy_fraction") - large.scalar("copy_fraction") > 4 * se_copy);
}

namespace {

// P(Z1 > h1, Z2 > h2) for standard normals of correlation rho: integral over z1 > h1 of phi(z1) P(Z2 > h2 | z1).
double orthant(double h1, double h2, double rho) {
  const int n = 20000;
  const double hi = 12.0, dz = (hi - h1) / n, s = std::sqrt(1 - rho * rho);
  double sum = 0;
  for (int k = 0; k <= n; ++k) {  // Simpson's rule
    const double z = h1 + k * dz, w = (k == 0 || k == n) ? 1 : (k % 2 ? 4 : 2);
    sum += w * std::exp(-0.5 * z * z) / std::sqrt(2 * std::numbers::pi) * 0.5 *
           std::erfc((h2 - rho * z) / (s * std::sqrt(2.0)));
  }
  return sum * dz / 3;
}

}  // namespace

TEST_CASE("bridge.generalization: two training digits, each noise goes to the training digit nearer to it",
          "[digits][physics]") {
  // For a training set of two points a1, a2 the exact (empirical) score is symmetric under the reflection that
  // swaps them, so the probability-flow ODE never crosses their bisecting hyperplane: the initial noise
  // x0 ~ N(0, sigma_max^2 I) ends at the training point nearer to it. Network A (set a) copies a1 with
  // probability P(x0 . u_a > c_a) = Phi(-c_a / sigma_max), u_a = (a1 - a2) / |a1 - a2|,
  // c_a = (|a1|^2 - |a2|^2) / (2 |a1 - a2|); both networks see the same noise, so their choices are correlated
  // through rho = u_a . u_b: P(A copies a1, B copies b1) is a bivariate normal orthant. Trained networks
  // memorising two digits should reproduce these exact probabilities; each fraction of the kind's outputs is
  // compared with them within 4 binomial standard errors.
  const std::int64_t n = 1000;
  const auto run = spindiff::test::run_kind(
      "bridge.generalization", {{"P", std::int64_t{2}}, {"train_steps", std::int64_t{3000}}, {"samples", n}}, 5);
  // The reference is that of a memorising score: the networks must copy (the kind's own criterion, d1 < d2 / 3).
  REQUIRE(run.scalar("copy_fraction") > 0.9);
  const std::size_t d = 64;
  const double sigma_max = 10.0;
  struct Set {
    std::vector<double> train, samples;
    std::vector<double> u;
    double c = 0;
    std::vector<int> copies;  // 1 when the output is nearer to the first training digit
  };
  Set sets[2] = {{run.array("training_a"), run.array("samples_a"), {}, 0, {}},
                 {run.array("training_b"), run.array("samples_b"), {}, 0, {}}};
  for (Set& s : sets) {
    REQUIRE(s.train.size() == 2 * d);
    REQUIRE(s.samples.size() == static_cast<std::size_t>(n) * d);
    double norm1 = 0, norm2 = 0, diff = 0;
    s.u.resize(d);
    for (std::size_t i = 0; i < d; ++i) {
      s.u[i] = s.train[i] - s.train[d + i];
      norm1 += s.train[i] * s.train[i], norm2 += s.train[d + i] * s.train[d + i], diff += s.u[i] * s.u[i];
    }
    for (double& v : s.u) v /= std::sqrt(diff);
    s.c = (norm1 - norm2) / (2 * std::sqrt(diff));
    for (std::int64_t k = 0; k < n; ++k) {
      double d1 = 0, d2 = 0;
      for (std::size_t i = 0; i < d; ++i) {
        const double x = s.samples[static_cast<std::size_t>(k) * d + i];
        d1 += (x - s.train[i]) * (x - s.train[i]), d2 += (x - s.train[d + i]) * (x - s.train[d + i]);
      }
      s.copies.push_back(d1 < d2 ? 1 : 0);
    }
  }
  double rho = 0;
  for (std::size_t i = 0; i < d; ++i) rho += sets[0].u[i] * sets[1].u[i];
  const double h[2] = {sets[0].c / sigma_max, sets[1].c / sigma_max};
  const double exact[3] = {0.5 * std::erfc(h[0] / std::sqrt(2.0)), 0.5 * std::erfc(h[1] / std::sqrt(2.0)),
                           orthant(h[0], h[1], rho)};
  double measured[3] = {0, 0, 0};
  for (std::int64_t k = 0; k < n; ++k) {
    const auto i = static_cast<std::size_t>(k);
    measured[0] += sets[0].copies[i], measured[1] += sets[1].copies[i];
    measured[2] += sets[0].copies[i] * sets[1].copies[i];
  }
  const char* what[3] = {"A copies a1", "B copies b1", "A copies a1 and B copies b1"};
  for (int q = 0; q < 3; ++q) {
    measured[q] /= static_cast<double>(n);
    const double se = std::sqrt(exact[q] * (1 - exact[q]) / static_cast<double>(n));
    INFO(what[q] << ": measured " << measured[q] << ", exact " << exact[q] << " +- " << se << " (rho = " << rho << ")");
    REQUIRE(se < 0.02);  // a binomial error over 1000 noises: at most 0.016
    CHECK(std::abs(measured[q] - exact[q]) < 4 * se);
  }
}
