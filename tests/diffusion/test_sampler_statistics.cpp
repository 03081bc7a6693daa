// Statistical checks of the stochastic samplers with Gaussian data, where every noised marginal is known.
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
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

constexpr double kMu = 4.0, kS = 0.5;

using SamplerCall =
    std::function<long(const ScoreModel&, const ForwardProcess&, std::span<const double>, Points&, const Stream&)>;

struct Result {
  double mean_err, var_rel_err;  // signed: sample - exact
  double mean_se, var_rel_se;
};

// Starts n points from the exact marginal at times[0] and compares the output with the exact marginal at the end.
Result run(const ForwardProcess& p, const std::vector<double>& times, const SamplerCall& sampler, std::uint32_t task,
           Eigen::Index n_points) {
  const GaussianMixtureScore score(isotropic_mixture({1.0}, Points::Constant(1, 1, kMu), {kS}));
  const double a0 = p.scale(times.front()), v0 = a0 * a0 * kS * kS + std::pow(p.sigma(times.front()), 2);
  Points x(n_points, 1);
  BlockNoise(Stream(3, task, 0, Purpose::init)).fill(x);
  x = (x * std::sqrt(v0)).array() + a0 * kMu;
  sampler(score, p, times, x, Stream(3, task, 0, Purpose::dynamics));
  const double a1 = p.scale(times.back()), v1 = a1 * a1 * kS * kS + std::pow(p.sigma(times.back()), 2);
  const double mean = x.mean(), var = (x.array() - mean).square().sum() / (n_points - 1);
  // Standard errors of a Gaussian sample's mean and variance, from the sample's own variance (a coarse sampler's
  // output may be far from the exact law).
  return {mean - a1 * kMu, var / v1 - 1, std::sqrt(var / n_points), var / v1 * std::sqrt(2.0 / (n_points - 1))};
}

// Order of the mean error from N to 4N steps: the mean is measured far more precisely than the variance.
void check_mean_order(const Result& coarse, const Result& fine, double order) {
  const double p_hat = std::log(coarse.mean_err / fine.mean_err) / std::log(4.0);
  const double se = std::hypot(coarse.mean_se / coarse.mean_err, fine.mean_se / fine.mean_err) / std::log(4.0);
  INFO("mean errors " << coarse.mean_err << " -> " << fine.mean_err << ", order " << p_hat << " +- " << se);
  // 4 standard errors plus 0.15 for the remaining higher-order terms.
  CHECK(std::abs(p_hat - order) < 0.15 + 4 * se);
}

}  // namespace

TEST_CASE("reverse SDE (Euler-Maruyama) with the exact score converges at order 1", "[diffusion][physics]") {
  SamplerCall em = [](const ScoreModel& s, const ForwardProcess& p, std::span<const double> t, Points& x,
                      const Stream& st) { return reverse_sde_euler_maruyama(s, p, t, x, st); };
  // VP on [1e-3, 1]: 16 -> 64 steps is already asymptotic; OU on [1e-3, 5] needs 64 -> 256.
  const auto vp = make_process("vp"), ou = make_process("ou");
  const Result v16 = run(*vp, linspace(1.0, 1e-3, 17), em, 1, 400000);
  const Result v64 = run(*vp, linspace(1.0, 1e-3, 65), em, 2, 400000);
  check_mean_order(v16, v64, 1.0);
  // The variance error falls at least as fast as 1/N (it is pre-asymptotic and faster at 16 steps).
  INFO("VP relative variance errors " << v16.var_rel_err << " -> " << v64.var_rel_err);
  CHECK(std::abs(v64.var_rel_err) < std::abs(v16.var_rel_err) / 4 + 4 * v64.var_rel_se);
  const Result o64 = run(*ou, linspace(5.0, 1e-3, 65), em, 3, 200000);
  const Result o256 = run(*ou, linspace(5.0, 1e-3, 257), em, 4, 200000);
  check_mean_order(o64, o256, 1.0);
  INFO("OU relative variance errors " << o64.var_rel_err << " -> " << o256.var_rel_err);
  CHECK(std::abs(o256.var_rel_err) < std::abs(o64.var_rel_err) / 4 * 1.5 + 4 * o256.var_rel_se);
}

TEST_CASE("DDPM ancestral sampling with the exact score: exact mean, variance error ~ 1/N", "[diffusion][physics]") {
  SamplerCall ddpm = [](const ScoreModel& s, const ForwardProcess& p, std::span<const double> t, Points& x,
                        const Stream& st) { return ddpm_ancestral(s, p, t, x, st); };
  const DiscreteDdpm process;
  // For Gaussian data each ancestral step maps the exact mean a_t mu to a_s mu: the mean has no
  // discretisation error at any N, only sampling error.
  const Result r100 = run(process, linspace(1.0, 0.0, 101), ddpm, 5, 200000);
  const Result full = run(process, linspace(1.0, 0.0, 1001), ddpm, 6, 200000);
  CHECK(std::abs(r100.mean_err) < 4 * r100.mean_se);
  CHECK(std::abs(full.mean_err) < 4 * full.mean_se);
  // Ten times the steps: the variance error falls by at least 10 / 1.5 (order >= 0.82).
  INFO("relative variance errors " << r100.var_rel_err << " -> " << full.var_rel_err);
  CHECK(std::abs(full.var_rel_err) < std::abs(r100.var_rel_err) / 10 * 1.5 + 4 * full.var_rel_se);
  CHECK(std::abs(r100.var_rel_err) > 4 * r100.var_rel_se);  // the coarse error is resolved at all
}

TEST_CASE("the Langevin corrector alone brings a Gaussian at fixed sigma to its stationary law N(mu, v (1 + snr^2))",
          "[diffusion][physics]") {
  // At one noise level the score of N(mu, v) is -(x - mu) / v and a corrector move is the AR(1) map
  // x - mu <- (1 - e/v)(x - mu) + sqrt(2e) z with e = 2 (snr E|z| / E|s|)^2. Its stationary law is Gaussian with
  // mean mu and variance V = v / (1 - e / 2v); with E|s| = sqrt(2V / pi) / v the step is e = 2 snr^2 v^2 / V, so
  // V = v (1 + snr^2) exactly. A start three standard deviations off with four times the variance must get there.
  const auto ve = make_process("ve");
  const NoiseLevel level = ve->level(0.5);
  const double v = kS * kS + level.sigma * level.sigma;
  const GaussianMixtureScore score(isotropic_mixture({1.0}, Points::Constant(1, 1, kMu), {kS}));
  const Eigen::Index n = 100000;
  for (const double snr : {0.16, 0.3}) {
    Points x(n, 1);
    BlockNoise(Stream(5, 0, 0, Purpose::init)).fill(x);
    x = (x * 2 * std::sqrt(v)).array() + kMu + 3 * std::sqrt(v);
    BlockNoise noise(Stream(5, static_cast<std::uint64_t>(100 * snr), 0, Purpose::dynamics));
    // The offset shrinks by (1 - 2 snr^2) a move: 400 moves leave below 1e-8 of it at snr = 0.16.
    const int moves = 400;
    CHECK(langevin_corrector(moves, snr)(score, level, x, noise) == moves);
    const double target = v * (1 + snr * snr);
    const double mean = x.mean(), var = (x.array() - mean).square().sum() / (n - 1);
    const double mean_se = std::sqrt(target / n), var_rel_se = std::sqrt(2.0 / n);
    INFO("snr " << snr << ": mean " << mean << " (exact " << kMu << " +- " << mean_se << "), variance / target - 1 = "
                << var / target - 1 << " +- " << var_rel_se << ", variance / v - 1 = " << var / v - 1);
    CHECK(std::abs(mean - kMu) < 4 * mean_se);
    CHECK(std::abs(var / target - 1) < 4 * var_rel_se);
    // At snr = 0.3 the discretisation bias snr^2 = 0.09 is 20 standard errors: the law is not N(mu, v) itself.
    if (snr == 0.3) CHECK(var / v - 1 > 4 * var_rel_se);
  }
}

TEST_CASE("predictor-corrector: with few predictor steps the corrector removes part of Euler-Maruyama's error",
          "[diffusion][physics]") {
  // Ten Euler-Maruyama steps down the VE process leave the variance about six times too large. The corrector
  // pulls the points towards the marginal at every level, so PC's final variance error must be the smaller, by
  // more than 4 combined standard errors, and ten corrector moves a level must beat one by as much. A corrector
  // that does nothing leaves PC equal to Euler-Maruyama in law, and fails both.
  auto pc_with = [](int corrector_steps) -> SamplerCall {
    return [corrector_steps](const ScoreModel& s, const ForwardProcess& p, std::span<const double> t, Points& x,
                             const Stream& st) {
      SamplerOptions o;
      o.corrector_steps = corrector_steps;
      return predictor_corrector(s, p, t, x, st, o);
    };
  };
  SamplerCall em = [](const ScoreModel& s, const ForwardProcess& p, std::span<const double> t, Points& x,
                      const Stream& st) { return reverse_sde_euler_maruyama(s, p, t, x, st); };
  const auto ve = make_process("ve");
  const auto times = linspace(ve->t_end(), ve->t_start(), 11);
  const Result r_em = run(*ve, times, em, 9, 100000);
  const Result r_pc1 = run(*ve, times, pc_with(1), 10, 100000);
  const Result r_pc10 = run(*ve, times, pc_with(10), 11, 100000);
  INFO("relative variance errors: EM " << r_em.var_rel_err << " +- " << r_em.var_rel_se << ", PC (1 move) "
                                       << r_pc1.var_rel_err << " +- " << r_pc1.var_rel_se << ", PC (10 moves) "
                                       << r_pc10.var_rel_err << " +- " << r_pc10.var_rel_se);
  REQUIRE(r_em.var_rel_err > 4 * r_em.var_rel_se);  // the predictor's error is resolved at all
  CHECK(std::abs(r_em.var_rel_err) - std::abs(r_pc1.var_rel_err) > 4 * std::hypot(r_em.var_rel_se, r_pc1.var_rel_se));
  CHECK(std::abs(r_pc1.var_rel_err) - std::abs(r_pc10.var_rel_err) >
        4 * std::hypot(r_pc1.var_rel_se, r_pc10.var_rel_se));
}
