#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>

#include "spindiff/langevin/exact.hpp"
#include "spindiff/langevin/observables.hpp"

namespace sl = spindiff::langevin;

TEST_CASE("exact MFPT quadrature reproduces the published double-well values", "[langevin][exact]") {
  // U = x^4/4 - x^2/2 from -1 to +1 (docs/theory/langevin.md, docs/references.md).
  auto U = [](double x) { return 0.25 * x * x * x * x - 0.5 * x * x; };
  CHECK(sl::mfpt_exact_1d(U, 0.05, -1.0, 1.0) == Approx(729.7).epsilon(1e-4));
  CHECK(sl::mfpt_exact_1d(U, 0.10, -1.0, 1.0) == Approx(66.27).epsilon(1e-4));
  CHECK(sl::mfpt_exact_1d(U, 0.15, -1.0, 1.0) == Approx(29.55).epsilon(2e-4));
  CHECK(sl::mfpt_exact_1d(U, 0.25, -1.0, 1.0) == Approx(14.28).epsilon(4e-4));
  // Symmetric potential: the mirrored passage takes as long; friction scales time.
  CHECK(sl::mfpt_exact_1d(U, 0.25, 1.0, -1.0) == Approx(sl::mfpt_exact_1d(U, 0.25, -1.0, 1.0)).epsilon(1e-9));
  CHECK(sl::mfpt_exact_1d(U, 0.25, -1.0, 1.0, 3.0) == Approx(3.0 * sl::mfpt_exact_1d(U, 0.25, -1.0, 1.0)));
  // Kramers' formula is the T -> 0 limit: below T = 0.1 the ratio exact / Kramers falls monotonically to 1.
  double previous = 1e9;
  for (double T : {0.1, 0.05, 0.025, 0.0125}) {
    const double gap = sl::mfpt_exact_1d(U, T, -1.0, 1.0) / sl::mfpt_kramers(2.0, -1.0, 0.25, T) - 1.0;
    INFO("T " << T << " exact/Kramers - 1 = " << gap);
    CHECK(gap > 0.0);
    CHECK(gap < previous);
    previous = gap;
  }
  CHECK(previous < 0.05);
}

TEST_CASE("Boltzmann1D on the harmonic potential is the Gaussian N(0, T/k)", "[langevin][exact]") {
  const double k = 2.0, T = 0.7;
  const sl::Boltzmann1D rho([&](double x) { return 0.5 * k * x * x; }, T, -1.0, 1.0);
  const double sd = std::sqrt(T / k);
  CHECK(rho.mean_energy() == Approx(T / 2).epsilon(1e-9));  // equipartition
  CHECK(rho.density(0.3) == Approx(std::exp(-0.5 * 0.09 / (sd * sd)) / (sd * std::sqrt(2 * std::numbers::pi))));
  auto Phi = [&](double x) { return 0.5 * std::erfc(-x / (sd * std::sqrt(2.0))); };
  const auto edges = sl::linspace_edges(-1.0, 1.5, 10);
  const auto p = rho.bin_probabilities(edges);
  for (std::size_t i = 0; i < p.size(); ++i) CHECK(p[i] == Approx(Phi(edges[i + 1]) - Phi(edges[i])).epsilon(1e-9));
}

TEST_CASE("Boltzmann2D on a 2-D harmonic potential: equipartition and product bins", "[langevin][exact]") {
  const double T = 0.5;
  const sl::Boltzmann2D rho([](double x, double y) { return 0.5 * x * x + 2.0 * y * y; }, T, {-1, -1}, {1, 1});
  CHECK(rho.mean_energy() == Approx(T).epsilon(1e-8));
  const double sx = std::sqrt(T), sy = std::sqrt(T / 4.0);
  auto P = [](double a, double b, double s) {
    return 0.5 * (std::erf(b / (s * std::sqrt(2.0))) - std::erf(a / (s * std::sqrt(2.0))));
  };
  CHECK(rho.probability(-0.2, 0.7, 0.1, 0.4) == Approx(P(-0.2, 0.7, sx) * P(0.1, 0.4, sy)).epsilon(1e-8));
}
