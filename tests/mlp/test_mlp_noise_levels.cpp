// The noise-level distributions of DSM training: moments within 4 standard errors.
#include <catch2/catch.hpp>
#include <cmath>

#include "spindiff/diffusion/training.hpp"

using namespace spindiff;
using namespace spindiff::diffusion;

namespace {

struct Moments {
  double mean = 0, var = 0;
};

template <class F>
Moments moments(int n, F draw) {
  double s = 0, s2 = 0;
  for (int i = 0; i < n; ++i) {
    const double x = draw();
    s += x;
    s2 += x * x;
  }
  return {s / n, (s2 - s * s / n) / (n - 1)};
}

}  // namespace

TEST_CASE("Noise levels follow their declared distributions", "[mlp]") {
  const int n = 40000;
  Stream stream(17, 0, 0, Purpose::training);

  SECTION("log-uniform sigma") {
    const auto dist = NoiseDistribution::log_uniform(0.01, 100.0);
    const double width = std::log(1e4);  // ln σ uniform on [ln 0.01, ln 100], mean 0, variance width²/12
    bool consistent = true;
    const Moments m = moments(n, [&] {
      const NoiseLevel l = dist.sample(stream);
      consistent = consistent && l.scale == 1.0 && l.t == l.sigma && l.sigma >= 0.01 && l.sigma <= 100.0;
      return std::log(l.sigma);
    });
    CHECK(consistent);
    CHECK(std::abs(m.mean) < 4 * std::sqrt(width * width / 12 / n));
    CHECK(m.var == Approx(width * width / 12).epsilon(4 * std::sqrt(0.8 / n)));  // Var(s²)/σ⁴ = 0.8 for uniform
  }
  SECTION("log-normal sigma") {
    const auto dist = NoiseDistribution::log_normal(-1.2, 1.2);
    const Moments m = moments(n, [&] { return std::log(dist.sample(stream).sigma); });
    CHECK(std::abs(m.mean + 1.2) < 4 * 1.2 / std::sqrt(n));
    CHECK(m.var == Approx(1.44).epsilon(4 * std::sqrt(2.0 / n)));  // Var(s²)/σ⁴ = 2 for a normal
  }
  SECTION("uniform times through a process") {
    // Ornstein-Uhlenbeck: a = e^{-t}, σ² = 1 − e^{-2t}.
    const auto dist = NoiseDistribution::process_times(0.1, 2.0, [](double t) {
      return NoiseLevel{t, std::exp(-t), std::sqrt(1 - std::exp(-2 * t))};
    });
    bool consistent = true, in_range = true;
    const Moments m = moments(n, [&] {
      const NoiseLevel l = dist.sample(stream);
      consistent = consistent && std::abs(l.scale * l.scale + l.sigma * l.sigma - 1.0) < 1e-12 &&
                   std::abs(l.scale - std::exp(-l.t)) < 1e-12;
      in_range = in_range && l.t >= 0.1 && l.t <= 2.0;
      return l.t;
    });
    CHECK(consistent);
    CHECK(in_range);
    CHECK(std::abs(m.mean - 1.05) < 4 * std::sqrt(1.9 * 1.9 / 12 / n));
  }
  SECTION("invalid ranges are rejected") {
    CHECK_THROWS(NoiseDistribution::log_uniform(0.0, 1.0).validate());
    CHECK_THROWS(NoiseDistribution::log_uniform(2.0, 1.0).validate());
    CHECK_THROWS(NoiseDistribution::process_times(0.0, 1.0, nullptr).validate());
    TrainingConfig cfg;
    cfg.schedule = LearningRateSchedule::cosine;
    CHECK_THROWS(cfg.validate());  // the cosine schedule needs its horizon
  }
}
