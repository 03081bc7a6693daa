// The final denoising step (Tweedie's formula) shared by every sampler: the exact posterior mean for an exact score,
// its score-call count, and the law of the denoised samples of a 1-D mixture.
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

// Three 2-D components with full, different covariances.
GaussianMixture anisotropic_mixture() {
  GaussianMixture m;
  m.weights = Eigen::Vector3d(0.2, 0.5, 0.3);
  m.means.resize(3, 2);
  m.means << -2.0, 0.5, 1.5, 1.0, 0.0, -2.5;
  Eigen::Matrix2d c0, c1, c2;
  c0 << 0.5, 0.2, 0.2, 0.3;
  c1 << 1.2, -0.4, -0.4, 0.6;
  c2 << 0.2, 0.0, 0.0, 0.9;
  m.covariances = {c0, c1, c2};
  m.validate();
  return m;
}

// E[x_0 | x_t = x] by Bayes' rule, independently of the score: component k has posterior weight proportional to
// w_k N(x; a mu_k, C_k) with C_k = a^2 Sigma_k + sigma^2 I, and within it x_0 has mean
// mu_k + a Sigma_k C_k^{-1} (x - a mu_k).
Eigen::VectorXd exact_posterior_mean(const GaussianMixture& m, const Eigen::VectorXd& x, double a, double sigma) {
  const int K = m.components();
  const Eigen::Index d = x.size();
  Eigen::VectorXd log_weight(K);
  std::vector<Eigen::VectorXd> mean_of(static_cast<std::size_t>(K));
  for (int k = 0; k < K; ++k) {
    const Eigen::MatrixXd& cov = m.covariances[static_cast<std::size_t>(k)];
    const Eigen::MatrixXd c = a * a * cov + sigma * sigma * Eigen::MatrixXd::Identity(d, d);
    const Eigen::VectorXd diff = x - a * m.means.row(k).transpose();
    const Eigen::LDLT<Eigen::MatrixXd> solve(c);
    const Eigen::VectorXd c_inv_diff = solve.solve(diff);
    log_weight(k) = std::log(m.weights(k)) - 0.5 * std::log(c.determinant()) - 0.5 * diff.dot(c_inv_diff);
    mean_of[static_cast<std::size_t>(k)] = m.means.row(k).transpose() + a * cov * c_inv_diff;
  }
  const Eigen::VectorXd r = (log_weight.array() - log_weight.maxCoeff()).exp().matrix();
  Eigen::VectorXd out = Eigen::VectorXd::Zero(d);
  for (int k = 0; k < K; ++k) out += r(k) * mean_of[static_cast<std::size_t>(k)];
  return out / r.sum();
}

}  // namespace

TEST_CASE("final denoising of a point is the exact posterior mean E[x_0 | x_t] for a Gaussian-mixture score",
          "[diffusion][sampler]") {
  const GaussianMixture m = anisotropic_mixture();
  const GaussianMixtureScore score(m);
  Points x(5, 2);
  x << -2.5, 0.3, 0.1, 0.1, 1.7, 1.4, 0.4, -3.0, 4.0, -1.0;
  const VariancePreserving vp;
  const VarianceExploding ve;
  // Levels from nearly clean to mostly noise, with a < 1 (VP) and a = 1 (VE, EDM).
  const std::vector<NoiseLevel> levels = {vp.level(0.05), vp.level(0.3),   vp.level(0.7),  ve.level(0.2),
                                          ve.level(0.6),  {0.5, 1.0, 0.5}, {3.0, 1.0, 3.0}};
  for (const NoiseLevel& level : levels) {
    Points y = x;
    CHECK(denoise_to_posterior_mean(score, level, y) == 1);
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      const Eigen::VectorXd expected = exact_posterior_mean(m, x.row(i).transpose(), level.scale, level.sigma);
      INFO("a = " << level.scale << ", sigma = " << level.sigma << ", point " << i);
      CHECK((y.row(i).transpose() - expected).cwiseAbs().maxCoeff() < 1e-12);
    }
  }
  // At sigma = 0 the points are already clean: no score call, no change.
  Points y = x;
  CHECK(denoise_to_posterior_mean(score, NoiseLevel{0.0, 1.0, 0.0}, y) == 0);
  CHECK(y == x);
}

TEST_CASE("final denoising costs one score call, none where it replaces a last step into sigma = 0",
          "[diffusion][sampler]") {
  const GaussianMixtureScore score(isotropic_mixture({1.0}, Points::Constant(1, 2, 1.5), {0.5}));
  const VariancePreserving vp;  // its grid ends at t_start > 0: one extra call
  const Edm edm;                // its grid ends at sigma = 0: the last step becomes the denoising step
  const DiscreteDdpm ddpm;      // likewise (t = 0)
  const Stream st(1, 0, 0, Purpose::dynamics);
  SamplerOptions denoised;
  denoised.final_denoise = true;
  SamplerOptions pc = denoised;
  pc.corrector_steps = 2;
  Points x = Points::Zero(8, 2);
  // The built-in samplers (other tests may register more, with last steps of other costs).
  for (const char* name :
       {"langevin", "annealed_langevin", "euler_maruyama", "predictor_corrector", "ode_euler", "ode_heun", "ddpm"}) {
    const SamplerInfo& row = find_sampler(name);
    INFO(row.name);
    if (row.grid == SamplerGrid::process_times) {
      const auto times = vp.default_times(10);
      SamplerOptions with = row.name == "predictor_corrector" ? pc : denoised, without = with;
      without.final_denoise = false;
      CHECK(row.run(score, vp, times, x, st, with, nullptr) == row.run(score, vp, times, x, st, without, nullptr) + 1);
      if (!row.needs_variance_preserving) {
        const auto to_zero = edm.default_times(10);
        CHECK(row.run(score, edm, to_zero, x, st, with, nullptr) ==
              row.run(score, edm, to_zero, x, st, without, nullptr));
      }
      const auto ddpm_times = ddpm.default_times(10);
      CHECK(ddpm_times.back() == 0.0);
      CHECK(row.run(score, ddpm, ddpm_times, x, st, with, nullptr) ==
            row.run(score, ddpm, ddpm_times, x, st, without, nullptr));
    } else {
      SamplerOptions with = denoised;
      with.steps_per_level = 3;
      with.step_size = 0.01;
      SamplerOptions without = with;
      without.final_denoise = false;
      const std::vector<double> levels =
          row.grid == SamplerGrid::fixed_level ? std::vector<double>{0.5} : geometric(2.0, 0.5, 3);
      CHECK(row.run(score, edm, levels, x, st, with, nullptr) ==
            row.run(score, edm, levels, x, st, without, nullptr) + 1);
      // The data score (sigma = 0) is already clean: nothing to denoise.
      const std::vector<double> clean = {0.0};
      if (row.grid == SamplerGrid::fixed_level)
        CHECK(row.run(score, edm, clean, x, st, with, nullptr) == row.run(score, edm, clean, x, st, without, nullptr));
    }
  }
}

TEST_CASE("samplers whose last step into sigma = 0 is already Tweedie's are unchanged by final denoising",
          "[diffusion][sampler]") {
  // DDPM's last ancestral step to t = 0 adds no noise and is (x + beta s) / sqrt(alpha) with beta = sigma^2: the
  // posterior mean. The probability-flow ODE's Euler step into sigma = 0 on the EDM grid is x + sigma^2 s: likewise.
  const GaussianMixtureScore score(isotropic_mixture({0.4, 0.6}, (Points(2, 1) << -1.0, 2.0).finished(), {0.5, 0.3}));
  SamplerOptions denoised;
  denoised.final_denoise = true;
  Points start(300, 1);
  BlockNoise(Stream(2, 0, 0, Purpose::init)).fill(start);
  const Stream st(2, 0, 0, Purpose::dynamics);
  {
    const DiscreteDdpm ddpm;
    const auto times = ddpm.default_times(50);
    Points a = start, b = start;
    ddpm_ancestral(score, ddpm, times, a, st);
    ddpm_ancestral(score, ddpm, times, b, st, denoised);
    CHECK((a - b).cwiseAbs().maxCoeff() < 1e-12);
  }
  {
    const Edm edm;
    const auto times = edm.default_times(18);
    Points a = start * 80.0, b = start * 80.0;
    probability_flow_heun(score, edm, times, a, st);
    probability_flow_heun(score, edm, times, b, st, denoised);
    CHECK((a - b).cwiseAbs().maxCoeff() < 1e-12);
  }
  {
    // The reverse SDE's last step into sigma = 0 is not: it doubles the score step and adds noise of sd sqrt(2)
    // sigma_min, which the denoising step replaces.
    const Edm edm(0.05, 80.0);
    const auto times = edm.default_times(18);
    Points a = start * 80.0, b = start * 80.0;
    reverse_sde_euler_maruyama(score, edm, times, a, st);
    reverse_sde_euler_maruyama(score, edm, times, b, st, denoised);
    CHECK((a - b).cwiseAbs().maxCoeff() > 1e-3);
  }
}

TEST_CASE("trajectories end with the denoised state", "[diffusion][sampler]") {
  const GaussianMixtureScore score(isotropic_mixture({1.0}, Points::Constant(1, 2, 1.5), {0.5}));
  const VariancePreserving vp;
  const auto times = vp.default_times(10);
  SamplerOptions denoised;
  denoised.final_denoise = true;
  Points x = Points::Zero(5, 2);
  Trajectory tr{{1, 3}, 5, {}, {}};
  probability_flow_euler(score, vp, times, x, Stream(1, 0, 0, Purpose::dynamics), denoised, &tr);
  REQUIRE(tr.frames.size() == 4);  // steps 0, 5, 10 and the denoised state at t = 0
  CHECK(tr.times[2] == times.back());
  CHECK(tr.times.back() == 0.0);
  CHECK(tr.frames.back().row(1) == x.row(3));
}

namespace {

// Moments of the denoised law: X ~ p_t (the exact noised mixture), T(X) = (X + sigma^2 s(X)) / a, by the trapezoid
// rule on a fine grid.
struct DenoisedLaw {
  double mean, second, positive;  // E[T], E[T^2], P(T > 0)
};

DenoisedLaw denoised_law(const GaussianMixtureScore& score, const NoiseLevel& level) {
  const int n = 400001;
  const double lo = -15.0, hi = 15.0, h = (hi - lo) / (n - 1);
  Points x(n, 1), s(n, 1);
  for (int i = 0; i < n; ++i) x(i, 0) = lo + h * i;
  score.score(x, level, s);
  const Eigen::VectorXd p = score.log_density(x, level).array().exp();
  DenoisedLaw law{0, 0, 0};
  for (int i = 0; i < n; ++i) {
    const double w = (i == 0 || i == n - 1 ? 0.5 : 1.0) * h * p(i);
    const double t = (x(i, 0) + level.sigma * level.sigma * s(i, 0)) / level.scale;
    law.mean += w * t;
    law.second += w * t * t;
    law.positive += t > 0 ? w : 0.0;
  }
  return law;
}

struct SampleMoments {
  double mean, mean_se, second, second_se, positive, positive_se;
};

SampleMoments moments_of(const Points& x) {
  const Eigen::Index n = x.rows();
  const Eigen::ArrayXd v = x.col(0).array(), v2 = v.square();
  const double mean = v.mean(), second = v2.mean(), positive = (v > 0).cast<double>().mean();
  const double sd = std::sqrt((v - mean).square().sum() / double(n - 1));
  const double sd2 = std::sqrt((v2 - second).square().sum() / double(n - 1));
  const double root_n = std::sqrt(double(n));
  return {mean, sd / root_n, second, sd2 / root_n, positive, std::sqrt(positive * (1 - positive) / double(n))};
}

void check_matches(const SampleMoments& got, const DenoisedLaw& law) {
  INFO("mean " << got.mean << " +- " << got.mean_se << " (exact " << law.mean << "), E[x^2] " << got.second << " +- "
               << got.second_se << " (exact " << law.second << "), P(x > 0) " << got.positive << " +- "
               << got.positive_se << " (exact " << law.positive << ")");
  // The error bars themselves must be small enough to mean something.
  REQUIRE(got.mean_se < 0.02);
  REQUIRE(got.second_se < 0.05);
  CHECK(std::abs(got.mean - law.mean) < 4 * got.mean_se);
  CHECK(std::abs(got.second - law.second) < 4 * got.second_se);
  CHECK(std::abs(got.positive - law.positive) < 4 * got.positive_se);
}

}  // namespace

TEST_CASE("sampling with final denoising gives the law of the posterior mean at the last level (1-D mixture)",
          "[diffusion][physics]") {
  // The grids end at a noise level far from zero (sigma ~ 0.3), so the denoised law differs clearly from the noised
  // marginal there: the tower property fixes its mean at E[x_0], and its spread is that of x_0 less the posterior
  // variance.
  const GaussianMixtureScore score(isotropic_mixture({0.3, 0.7}, (Points(2, 1) << -2.0, 2.0).finished(), {0.5, 0.5}));
  const Eigen::Index n = 60000;
  SamplerOptions denoised;
  denoised.final_denoise = true;
  SECTION("reverse SDE on OU, grid ending at t = 0.05 (one extra call)") {
    const OrnsteinUhlenbeck ou(5.0, 0.05);
    const auto times = ou.default_times(1000);
    const NoiseLevel last = ou.level(times.back());
    const DenoisedLaw law = denoised_law(score, last);
    CHECK(std::abs(law.mean - 0.8) < 1e-9);  // E[x_0] = 0.7 * 2 - 0.3 * 2
    Points x(n, 1), plain(n, 1);
    ou.sample_prior(x, Stream(4, 0, 0, Purpose::init));
    plain = x;
    CHECK(reverse_sde_euler_maruyama(score, ou, times, x, Stream(4, 0, 0, Purpose::dynamics), denoised) == 1001);
    check_matches(moments_of(x), law);
    // Without the step the samples keep the noised marginal's spread: the check above can tell them apart.
    reverse_sde_euler_maruyama(score, ou, times, plain, Stream(4, 0, 0, Purpose::dynamics));
    const SampleMoments without = moments_of(plain);
    CHECK(std::abs(without.second - law.second) > 4 * without.second_se);
  }
  SECTION("probability-flow ODE (Heun) on the EDM grid ending at sigma = 0.3, 0 (the last step replaced)") {
    const Edm edm(0.3, 80.0);
    const auto times = edm.default_times(64);
    const DenoisedLaw law = denoised_law(score, edm.level(times[times.size() - 2]));
    Points x(n, 1);
    edm.sample_prior(x, Stream(5, 0, 0, Purpose::init));
    CHECK(probability_flow_heun(score, edm, times, x, Stream(5, 0, 0, Purpose::dynamics), denoised) == 127);
    check_matches(moments_of(x), law);
  }
}
