#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "spindiff/core/rng.hpp"
#include "spindiff/langevin/exact.hpp"
#include "spindiff/langevin/first_passage.hpp"
#include "spindiff/langevin/integrators.hpp"
#include "spindiff/langevin/observables.hpp"
#include "spindiff/langevin/sampler.hpp"
#include "spindiff/stats/binning.hpp"

namespace sl = spindiff::langevin;
using spindiff::Purpose;
using spindiff::Stream;

namespace {

const sl::DoubleWell kWell{1, 0.25, 0.5};

sl::Boltzmann1D well_law(double T) {
  return sl::Boltzmann1D([](double x) { return kWell.marginal_energy(x); }, T, -2.0, 2.0);
}

struct BoltzmannCheck {
  double tv, energy, energy_err, exact_energy, acceptance;
};

BoltzmannCheck run_well(sl::Method method, double T, double dt, std::int64_t particles, std::int64_t steps,
                        std::int64_t thermalize, std::int64_t record_every, std::uint64_t seed) {
  sl::SamplerSettings s;
  s.method = method;
  s.dyn = {T, dt, 1.0, 1.0};
  s.particles = particles;
  s.steps = steps;
  s.thermalize = thermalize;
  s.record_every = record_every;
  s.init_lo = {-2.0};
  s.init_hi = {2.0};
  s.histogram.bins = 60;
  s.histogram.lo[0] = -2.5;
  s.histogram.hi[0] = 2.5;
  s.threads = 2;
  const auto r = sl::sample(kWell, s, Stream(seed, 0, 0, Purpose::dynamics));
  const auto law = well_law(T);
  const auto edges = sl::linspace_edges(-2.5, 2.5, 60);
  const auto p = law.bin_probabilities(edges);
  std::vector<double> p_hat(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) p_hat[i] = static_cast<double>(r.counts[i]) / r.samples;
  double p_in = 0.0;
  for (double v : p) p_in += v;
  spindiff::stats::BinningAccumulator acc;
  for (double e : r.mean_energy) acc.add(e);
  return {sl::total_variation(p_hat, p, static_cast<double>(r.outside) / r.samples, 1.0 - p_in), acc.mean(),
          acc.max_error(), law.mean_energy(), r.acceptance()};
}

}  // namespace

TEST_CASE("results do not depend on the thread count", "[langevin][dynamics]") {
  sl::SamplerSettings s;
  s.method = sl::Method::mala;
  s.dyn = {0.5, 0.05, 1.0, 1.0};
  s.particles = 3000;
  s.block_size = 512;
  s.steps = 200;
  s.thermalize = 50;
  s.trajectory_particles = 3;
  s.series_particles = 2;
  const Stream stream(5, 0, 0, Purpose::dynamics);
  s.threads = 1;
  const auto a = sl::sample(kWell, s, stream);
  s.threads = 2;
  const auto b = sl::sample(kWell, s, stream);
  CHECK(a.counts == b.counts);
  CHECK(a.mean_energy == b.mean_energy);
  CHECK(a.trajectory == b.trajectory);
  CHECK(a.series == b.series);
  CHECK(a.accepted == b.accepted);

  sl::EscapeSettings e;
  e.dyn = {0.5, 1e-2, 1.0, 1.0};
  e.particles = 1500;
  e.block_size = 256;
  e.threads = 1;
  const auto fa = sl::first_passage_times(kWell, e, stream);
  e.threads = 2;
  const auto fb = sl::first_passage_times(kWell, e, stream);
  CHECK(fa.times == fb.times);
}

TEST_CASE("a score potential drives the same path as the potential it was made from", "[langevin][dynamics]") {
  // The exact score of a 1-D Gaussian mixture, served through the diffusion ScoreModel interface.
  struct MixtureScore : spindiff::diffusion::ScoreModel {
    sl::MixturePotential mix;
    void score(const spindiff::diffusion::Points& x, const spindiff::diffusion::NoiseLevel&,
               spindiff::diffusion::Points& out) const override {
      sl::Coords c = x.array(), g;
      sl::Workspace ws;
      mix.evaluate(c, nullptr, &g, ws);
      out = -g.matrix() / mix.T;  // grad log p = -grad U / T
    }
    int dim() const override { return 1; }
  } model;
  model.mix = sl::make_mixture(1, 0.7, {0.3, 0.7}, {-1.0, 1.0}, {0.6});
  const sl::ScorePotential score_pot{&model, {}, 0.7, 1};
  sl::SamplerSettings s;
  s.dyn = {0.7, 1e-3, 1.0, 1.0};
  s.particles = 500;
  s.steps = 300;
  s.thermalize = 0;
  s.trajectory_particles = 20;
  s.trajectory_every = 10;
  const Stream stream(8, 0, 0, Purpose::dynamics);
  const auto a = sl::sample(model.mix, s, stream);
  const auto b = sl::sample(score_pot, s, stream);
  REQUIRE(a.trajectory.size() == b.trajectory.size());
  for (std::size_t i = 0; i < a.trajectory.size(); ++i) CHECK(a.trajectory[i] == Approx(b.trajectory[i]).margin(1e-9));
}

TEST_CASE("Ornstein-Uhlenbeck: the law at time t is the exact Gaussian transition law", "[langevin][physics]") {
  // dx = -k x dt + sqrt(2T) dW from x0 = 2: x_t ~ N(x0 e^{-kt}, (T/k)(1 - e^{-2kt})).
  const double k = 1.0, T = 0.5, dt = 5e-4, x0 = 2.0;
  const int steps = 2000;
  const double t = steps * dt;
  const int n = 100000, block = 1024;
  const sl::Harmonic pot{1, k};
  const sl::Stepper<sl::Harmonic> stepper(pot, sl::Method::euler, {T, dt, 1.0, 1.0});
  const Stream root(21, 0, 0, Purpose::dynamics);
  std::vector<double> x;
  for (int first = 0, b = 0; first < n; first += block, ++b) {
    sl::Block blk(std::min(block, n - first), 1, root.substream(b));
    blk.x.setConstant(x0);
    stepper.prepare(blk);
    for (int i = 0; i < steps; ++i) stepper.step(blk);
    x.insert(x.end(), blk.x.data(), blk.x.data() + blk.x.size());
  }
  const double mean = x0 * std::exp(-k * t), var = T / k * (1 - std::exp(-2 * k * t));
  // Euler-Maruyama's own law is Gaussian with mean x0 (1 - k dt)^n; its distance to the exact law must be far
  // below the statistical resolution for this test to be about the physics.
  const double em_mean = x0 * std::pow(1 - k * dt, steps);
  const double se_mean = std::sqrt(var / n);
  REQUIRE(std::abs(em_mean - mean) < 0.25 * se_mean);
  double s1 = 0, s2 = 0;
  for (double v : x) s1 += v, s2 += v * v;
  const double m = s1 / n, v = s2 / n - m * m;
  CHECK(std::abs(m - mean) < 4 * se_mean);
  CHECK(std::abs(v - var) < 4 * var * std::sqrt(2.0 / n));
  std::sort(x.begin(), x.end());
  const boost::math::normal_distribution<> law(mean, std::sqrt(var));
  double d = 0.0;
  for (int i = 0; i < n; ++i) {
    const double f = boost::math::cdf(law, x[i]);
    d = std::max({d, f - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - f});
  }
  CHECK(std::sqrt(static_cast<double>(n)) * d < 1.95);  // KS at significance 0.001
}

TEST_CASE("MALA samples the double well at T = 0.5 exactly", "[langevin][physics]") {
  // 10^4 particles x 100 records = 10^6 samples, records 2 time units apart.
  const auto c = run_well(sl::Method::mala, 0.5, 0.05, 10000, 4000, 400, 40, 31);
  INFO("TV " << c.tv << ", energy " << c.energy << " +- " << c.energy_err << " exact " << c.exact_energy
             << ", acceptance " << c.acceptance);
  CHECK(c.tv < 0.02);
  CHECK(std::abs(c.energy - c.exact_energy) < 4 * c.energy_err);
  CHECK(c.acceptance > 0.9);
  CHECK(c.acceptance < 1.0);
}

TEST_CASE("Euler-Maruyama's stationary bias is proportional to dt", "[langevin][physics]") {
  // Bias of the mean energy at dt = 0.01, 0.0316, 0.1 (a decade); the log-log slope must be 1.
  const double T = 0.5;
  std::vector<double> dts = {0.01, 0.0316227766, 0.1}, bias, err;
  for (double dt : dts) {
    const auto every = static_cast<std::int64_t>(std::lround(2.0 / dt));  // records 2 time units apart
    const auto c = run_well(sl::Method::euler, T, dt, 20000, 50 * every, 5 * every, every, 41);
    bias.push_back(c.energy - c.exact_energy);
    err.push_back(c.energy_err);
    INFO("dt " << dt << " bias " << bias.back() << " +- " << err.back());
    CHECK(bias.back() > 5 * err.back());  // clearly resolved
  }
  const double slope = std::log(bias[2] / bias[0]) / std::log(dts[2] / dts[0]);
  const double slope_err = std::hypot(err[0] / bias[0], err[2] / bias[2]) / std::log(10.0);
  INFO("slope " << slope << " +- " << slope_err);
  CHECK(slope_err < 0.1);
  CHECK(std::abs(slope - 1.0) < 4 * slope_err + 0.1);  // 0.1: room for the O(dt^2) term at dt = 0.1
}

TEST_CASE("BAOAB on a harmonic oscillator: configurational variance error O(dt^2)", "[langevin][physics]") {
  // For U = k x^2 / 2, BAOAB's stationary <x^2> is exactly T/k at every stable dt (Leimkuhler & Matthews
  // 2013): its configurational error is zero, well within O(dt^2). The kinetic <v^2> = (T/m)(1 - k dt^2/(4m))
  // shows the O(dt^2) term, so the check has teeth for the velocity half-steps too.
  const double k = 1.0, m = 1.0, T = 1.0, gamma = 1.0;
  const sl::Harmonic pot{1, k};
  for (double dt : {0.2, 0.4, 0.8}) {
    const sl::Stepper<sl::Harmonic> stepper(pot, sl::Method::baoab, {T, dt, gamma, m});
    const int n = 4096, records = 400;
    const int every = static_cast<int>(std::lround(2.0 / dt));
    sl::Block blk(n, 1, Stream(51, 0, 0, Purpose::dynamics));
    blk.x.setZero();
    stepper.prepare(blk);
    for (int i = 0; i < 10 * every; ++i) stepper.step(blk);
    spindiff::stats::BinningAccumulator x2, v2;
    for (int r = 0; r < records; ++r) {
      for (int i = 0; i < every; ++i) stepper.step(blk);
      x2.add(blk.x.square().mean());
      v2.add(blk.v.square().mean());
    }
    const double kinetic = T / m * (1 - k * dt * dt / (4 * m));
    INFO("dt " << dt << " <x^2> " << x2.mean() << " +- " << x2.max_error() << ", <v^2> " << v2.mean() << " +- "
               << v2.max_error() << " vs " << kinetic);
    CHECK(std::abs(x2.mean() - T / k) < 4 * x2.max_error());
    CHECK(std::abs(v2.mean() - kinetic) < 4 * v2.max_error());
    CHECK(std::abs(T / m - kinetic) > 8 * v2.max_error());  // the dt^2 kinetic term is resolved
  }
}

TEST_CASE("double-well escape time at T = 0.25 matches the exact 14.28", "[langevin][physics]") {
  sl::EscapeSettings e;
  e.dyn = {0.25, 1e-3, 1.0, 1.0};
  e.particles = 20000;
  e.start = -1.0;
  e.target = 1.0;
  e.max_time = 500.0;
  e.threads = 2;
  const auto r = sl::first_passage_times(kWell, e, Stream(61, 0, 0, Purpose::dynamics));
  INFO("mfpt " << r.mean() << " +- " << r.standard_error());
  REQUIRE(r.censored == 0);
  CHECK(r.standard_error() < 0.0125 * r.mean());  // 4 SE fit inside the 5% window
  CHECK(std::abs(r.mean() - 14.28) < 0.05 * 14.28);
  CHECK(std::abs(r.mean() - sl::mfpt_exact_1d([](double x) { return kWell.marginal_energy(x); }, 0.25, -1, 1)) <
        0.05 * 14.28);
}
