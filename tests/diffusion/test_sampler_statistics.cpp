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
  return {mean - a1 * kMu, var / v1 - 1, std::sqrt(v1 / n_points), std::sqrt(2.0 / n_points)};
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

TEST_CASE("predictor-corrector matches the marginal up to the corrector's O(snr^2) bias", "[diffusion][physics]") {
  // A Langevin corrector with step e targets p_t with variance v / (1 - e / 2v) (discretised Langevin on a
  // Gaussian); e = 2 snr^2 v gives a relative bias ~ snr^2 on top of the predictor's O(1/N) error.
  const double snr = 0.16;
  SamplerCall pc = [snr](const ScoreModel& s, const ForwardProcess& p, std::span<const double> t, Points& x,
                         const Stream& st) {
    SamplerOptions o;
    o.corrector_steps = 1;
    o.snr = snr;
    return predictor_corrector(s, p, t, x, st, o);
  };
  SamplerCall em = [](const ScoreModel& s, const ForwardProcess& p, std::span<const double> t, Points& x,
                      const Stream& st) { return reverse_sde_euler_maruyama(s, p, t, x, st); };
  const auto ve = make_process("ve");
  const auto times = linspace(ve->t_end(), ve->t_start(), 201);
  const Result r_pc = run(*ve, times, pc, 7, 100000), r_em = run(*ve, times, em, 8, 100000);
  INFO("PC " << r_pc.var_rel_err << " EM " << r_em.var_rel_err);
  CHECK(std::abs(r_pc.var_rel_err) < std::abs(r_em.var_rel_err) + 2 * snr * snr + 4 * r_pc.var_rel_se);
  CHECK(std::abs(r_pc.mean_err) < 4 * r_pc.mean_se + std::abs(r_em.mean_err));
}
