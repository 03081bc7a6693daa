#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "spindiff/diffusion/block_noise.hpp"
#include "spindiff/diffusion/forward_process.hpp"
#include "spindiff/diffusion/gaussian_mixture.hpp"
#include "spindiff/diffusion/samplers.hpp"
#include "spindiff/diffusion/schedule.hpp"

using namespace spindiff::diffusion;
using spindiff::Purpose;
using spindiff::Stream;

namespace {

// Gaussian data N(mu, s^2 I) in d dimensions: every noised marginal is N(a mu, (a^2 s^2 + sigma^2) I).
constexpr double kMu = 1.5, kS = 0.5;

GaussianMixtureScore gaussian_score(int d) {
  Points mean = Points::Constant(1, d, kMu);
  return GaussianMixtureScore(isotropic_mixture({1.0}, mean, {kS}));
}

struct Moments {
  double mean, var;
};
Moments exact_moments(const ForwardProcess& p, double t) {
  const double a = p.scale(t), s = p.sigma(t);
  return {a * kMu, a * a * kS * kS + s * s};
}

// The probability-flow ODE with an affine score is an affine map per coordinate, x -> A x + b. Running the
// sampler on the points 0 and 1 gives A and b exactly, hence the output mean and variance for input drawn from
// the exact marginal at times[0], with no sampling noise.
template <class Sampler>
Moments ode_output_moments(const ForwardProcess& p, const std::vector<double>& times, Sampler sampler) {
  const auto score = gaussian_score(1);
  Points x(2, 1);
  x << 0.0, 1.0;
  sampler(score, p, std::span<const double>(times), x);
  const double b = x(0, 0), a = x(1, 0) - x(0, 0);
  const Moments in = exact_moments(p, times.front());
  return {a * in.mean + b, a * a * in.var};
}

double observed_order(double e_coarse, double e_fine) { return std::log2(e_coarse / e_fine); }

}  // namespace

TEST_CASE("probability-flow ODE: Euler converges at order 1, Heun at order 2 (exact marginals)",
          "[diffusion][sampler]") {
  auto euler = [](const ScoreModel& s, const ForwardProcess& p, std::span<const double> t, Points& x) {
    return probability_flow_euler(s, p, t, x, Stream(1, 0, 0, Purpose::dynamics));
  };
  auto heun = [](const ScoreModel& s, const ForwardProcess& p, std::span<const double> t, Points& x) {
    return probability_flow_heun(s, p, t, x, Stream(1, 0, 0, Purpose::dynamics));
  };
  const VariancePreserving vp;
  const Edm edm;
  struct Case {
    const ForwardProcess* process;
    bool use_heun;
    double order;
  };
  for (const Case c : {Case{&vp, false, 1.0}, Case{&vp, true, 2.0}, Case{&edm, false, 1.0}, Case{&edm, true, 2.0}}) {
    std::vector<double> var_err, mean_err;
    for (int n : {64, 128, 256}) {
      // EDM: the rho schedule ending at sigma_min (no final jump to 0, which would be one fixed-size step).
      const auto times = c.process == &edm ? edm_sigmas(n + 1, edm.t_start(), edm.t_end(), 7.0, false)
                                           : linspace(vp.t_end(), vp.t_start(), n + 1);
      const Moments got =
          c.use_heun ? ode_output_moments(*c.process, times, heun) : ode_output_moments(*c.process, times, euler);
      const Moments want = exact_moments(*c.process, times.back());
      var_err.push_back(std::abs(got.var / want.var - 1));
      mean_err.push_back(std::abs(got.mean - want.mean));
    }
    INFO(c.process->name() << (c.use_heun ? " heun" : " euler") << " var errors " << var_err[0] << " " << var_err[1]
                           << " " << var_err[2] << " mean errors " << mean_err[0] << " " << mean_err[2]);
    // Asymptotic regime: successive halvings give the same order to within 0.1.
    CHECK(observed_order(var_err[0], var_err[1]) == Approx(c.order).margin(0.1));
    CHECK(observed_order(var_err[1], var_err[2]) == Approx(c.order).margin(0.1));
    // The mean is either exact (EDM keeps mu fixed: a = 1) or converges at the same order.
    if (mean_err[0] > 1e-12)
      CHECK(observed_order(mean_err[1], mean_err[2]) == Approx(c.order).margin(0.1));
    else
      CHECK(mean_err[2] < 1e-12);
  }
}

TEST_CASE("Heun on the 18-step EDM schedule: 35 evaluations, beats Euler at equal cost", "[diffusion][sampler]") {
  const Edm edm;
  const auto score = gaussian_score(1);
  const Moments in = exact_moments(edm, 80.0);
  auto var_error = [&](const Points& x) {
    const double a = x(1, 0) - x(0, 0), b = x(0, 0);
    CHECK(std::abs(a * in.mean + b - kMu) < 1e-12);  // a = 1 keeps the mean exactly
    return std::abs(a * a * in.var / (kS * kS) - 1);
  };
  Points heun(2, 1), euler(2, 1);
  heun << 0.0, 1.0;
  euler << 0.0, 1.0;
  const Stream st(1, 0, 0, Purpose::dynamics);
  CHECK(probability_flow_heun(score, edm, edm.default_times(18), heun, st) == 35);
  CHECK(probability_flow_euler(score, edm, edm.default_times(35), euler, st) == 35);
  CHECK(var_error(heun) < var_error(euler));
}

TEST_CASE("samplers count their score evaluations", "[diffusion][sampler]") {
  const auto score = gaussian_score(2);
  const VariancePreserving vp;
  const auto times = vp.default_times(10);
  const Stream st(1, 0, 0, Purpose::dynamics);
  Points x = Points::Zero(8, 2);
  CHECK(reverse_sde_euler_maruyama(score, vp, times, x, st) == 10);
  SamplerOptions two_corrector_steps;
  two_corrector_steps.corrector_steps = 2;
  CHECK(predictor_corrector(score, vp, times, x, st, two_corrector_steps) == 30);
  CHECK(probability_flow_euler(score, vp, times, x, st) == 10);
  CHECK(probability_flow_heun(score, vp, times, x, st) == 20);
  CHECK(ddpm_ancestral(score, vp, times, x, st) == 10);
  SamplerOptions seven_steps;
  seven_steps.steps_per_level = 7;
  seven_steps.step_size = 0.01;
  const std::vector<double> one_level = {0.5};
  CHECK(langevin(score, Edm(), one_level, x, st, seven_steps) == 7);
  const auto sig = geometric(2.0, 0.5, 3);
  SamplerOptions four_per_level;
  four_per_level.steps_per_level = 4;
  CHECK(annealed_langevin(score, Edm(), sig, x, st, four_per_level) == 12);
  CHECK_THROWS(ddpm_ancestral(score, Edm(), Edm().default_times(5), x, st));
  // The table's score calls per step agree with the counts above.
  CHECK(find_sampler("predictor_corrector").score_calls_per_step(two_corrector_steps) == 3);
  CHECK(find_sampler("ode_heun").score_calls_per_step({}) == 2);
  CHECK_THROWS(find_sampler("no_such_sampler"));
}

TEST_CASE("sampler noise depends on a point's row only, not on the batch it runs in", "[diffusion][sampler]") {
  // Each row's noise comes from its block's substream, so a sampler run on the first 64 rows (one block)
  // reproduces those rows of a run on 200 rows bit for bit.
  const auto score = gaussian_score(3);
  const VariancePreserving vp;
  const auto times = vp.default_times(20);
  const Stream st(5, 2, 0, Purpose::dynamics);
  Points big(200, 3);
  BlockNoise(Stream(5, 2, 0, Purpose::init)).fill(big);
  Points small = big.topRows(BlockNoise::default_rows);
  reverse_sde_euler_maruyama(score, vp, times, big, st);
  reverse_sde_euler_maruyama(score, vp, times, small, st);
  CHECK(small == big.topRows(BlockNoise::default_rows));
}

TEST_CASE("trajectories record the chosen rows", "[diffusion][sampler]") {
  const auto score = gaussian_score(2);
  const VariancePreserving vp;
  const auto times = vp.default_times(10);
  Points x = Points::Zero(5, 2);
  Trajectory tr{{1, 3}, 5, {}, {}};
  probability_flow_euler(score, vp, times, x, Stream(1, 0, 0, Purpose::dynamics), {}, &tr);
  REQUIRE(tr.frames.size() == 3);  // steps 0, 5, 10
  CHECK(tr.times.front() == times.front());
  CHECK(tr.times.back() == times.back());
  CHECK(tr.frames.back().row(1) == x.row(3));
}
