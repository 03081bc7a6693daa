// AGS replica-symmetric theory at T = 0 and at finite temperature, and the finite-N capacity simulation against it.
#include <boost/math/special_functions/erf.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "spindiff/hopfield/ags.hpp"
#include "spindiff/hopfield/network.hpp"

using namespace spindiff;
using namespace spindiff::hopfield;

TEST_CASE("AGS critical load and overlap", "[hopfield]") {
  const ags::Critical c = ags::critical();
  // Amit, Gutfreund & Sompolinsky (1985): α_c = 0.13791, m_c = 0.96742.
  CHECK(c.alpha == Approx(0.1379).margin(0.0005));
  CHECK(c.m == Approx(0.967).margin(0.002));
  CHECK(ags::retrieval_overlap(c.alpha * (1 - 1e-9)) == Approx(0.967).margin(0.002));
  CHECK(ags::retrieval_overlap(c.alpha * 1.001) == 0.0);
  // dα/dy = 0 at the maximum.
  const double h = 1e-4;
  CHECK(std::abs(ags::alpha_of_y(c.y + h) - ags::alpha_of_y(c.y - h)) < 1e-9);
}

TEST_CASE("AGS retrieval branch solves the T = 0 equations", "[hopfield]") {
  // From α = 0.04 (y ≈ 3.5) erf⁻¹(m) is still well conditioned in double precision.
  double previous = 1.0;
  for (double alpha = 0.04; alpha < 0.1379; alpha += 0.005) {
    const double m = ags::retrieval_overlap(alpha);
    // Back-substitute: y = erf⁻¹(m) must give √(2α) = [erf y − (2y/√π)e^{−y²}]/y.
    const double y = boost::math::erf_inv(m);
    CHECK(ags::alpha_of_y(y) == Approx(alpha).epsilon(1e-6));
    CHECK(y >= ags::critical().y);  // the retrieval (large-y) root
    CHECK(m < previous);            // m decreases with load
    previous = m;
  }
  CHECK(ags::retrieval_overlap(0.0) == 1.0);
  CHECK(ags::retrieval_overlap(1e-3) == Approx(1.0).margin(1e-12));  // exponentially close to 1
}

namespace {

struct Stats {
  double mean, se;
};

// Start at stored pattern 0 of fresh random patterns, relax asynchronously, final overlap with it.
Stats capacity_trials(std::size_t N, double alpha, int trials) {
  const auto P = static_cast<std::size_t>(std::lround(alpha * N));
  std::vector<double> m;
  for (int t = 0; t < trials; ++t) {
    Stream prng(21, static_cast<std::uint32_t>(P), static_cast<std::uint32_t>(t), Purpose::patterns);
    Stream dyn(21, static_cast<std::uint32_t>(P), static_cast<std::uint32_t>(t), Purpose::dynamics);
    const Network net(random_patterns(N, P, 0.0, prng), Rule::hebb);
    const Recall r = net.recall(net.patterns().pattern(0), DynamicsOptions{Update::async, 200, false}, dyn);
    REQUIRE(r.trajectory.converged);
    m.push_back(overlaps(net.patterns(), r.state)[0]);
  }
  double mean = 0, var = 0;
  for (double v : m) mean += v;
  mean /= trials;
  for (double v : m) var += (v - mean) * (v - mean);
  var /= trials - 1;
  return {mean, std::sqrt(var / trials)};
}

}  // namespace

TEST_CASE("capacity simulation at N = 1000 retrieves below and loses the pattern above alpha_c",
          "[hopfield][physics]") {
  // Theory: m(0.05) = 0.99999; no retrieval state at 0.2. Finite N rounds the transition, but the
  // sample means must sit beyond the thresholds by more than three standard errors.
  const Stats low = capacity_trials(1000, 0.05, 16);
  INFO("alpha 0.05: mean " << low.mean << " se " << low.se);
  CHECK(low.mean - 3 * low.se > 0.99);
  const Stats high = capacity_trials(1000, 0.2, 16);
  INFO("alpha 0.2: mean " << high.mean << " se " << high.se);
  CHECK(high.mean + 3 * high.se < 0.5);
}

TEST_CASE("AGS replica-symmetric theory at finite temperature", "[hopfield][theory]") {
  // One pattern at alpha = 0 is Curie-Weiss: m = tanh(m/T).
  CHECK(ags::solve(0.0, 0.8).m == Approx(0.710412).margin(1e-6));
  CHECK(ags::solve(0.0, 0.5).m == Approx(0.957504).margin(1e-6));
  CHECK(ags::solve(0.0, 1.2).m == Approx(0.0).margin(1e-6));
  // Gauss-Hermite rule integrates z^2 and z^4 exactly.
  const ags::GaussHermite gh(41);
  double z2 = 0, z4 = 0;
  for (std::size_t k = 0; k < gh.nodes.size(); ++k) {
    z2 += gh.weights[k] * gh.nodes[k] * gh.nodes[k];
    z4 += gh.weights[k] * std::pow(gh.nodes[k], 4);
  }
  CHECK(z2 == Approx(1.0).epsilon(1e-10));
  CHECK(z4 == Approx(3.0).epsilon(1e-10));
  CHECK(ags::spin_glass_temperature(0.04) == Approx(1.2));
  // Retrieval boundary, published to two digits: 0.80, 0.54, 0.32.
  CHECK(ags::retrieval_temperature(0.01) == Approx(0.80).margin(0.006));
  CHECK(ags::retrieval_temperature(0.05) == Approx(0.54).margin(0.006));
  CHECK(ags::retrieval_temperature(0.10) == Approx(0.32).margin(0.006));
  CHECK(ags::retrieval_temperature(0.15) == 0.0);  // beyond alpha_c = 0.138
}
