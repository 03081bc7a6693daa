// A DSM-trained MLP on a 2-D Gaussian mixture samples it as well as 2000 draws can tell: its samples' MMD² to
// fresh data stays below four standard deviations of MMD² between two data sets, like the exact score's with
// the same probability-flow sampler. The sampler, the exact mixture score and the MMD are written here,
// independently of the library's own, so that this test checks the learned score alone.
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "spindiff/diffusion/mlp.hpp"
#include "spindiff/diffusion/preconditioned_score.hpp"
#include "spindiff/diffusion/training.hpp"

using namespace spindiff;
using namespace spindiff::diffusion;

namespace {

// p = Σ_k w_k N(μ_k, s² I) in 2-D; variance exploding noise (a = 1).
struct Mixture {
  std::vector<double> weights{0.3, 0.5, 0.2};
  std::vector<std::array<double, 2>> means{{{-2.0, -1.0}}, {{2.0, -1.0}}, {{0.0, 2.0}}};
  double s = 0.5;

  Points sample(int n, Stream& stream) const {
    Points x(n, 2);
    for (int i = 0; i < n; ++i) {
      const double u = stream.uniform();
      std::size_t k = 0;
      for (double c = weights[0]; u >= c && k + 1 < weights.size(); c += weights[++k]) {
      }
      x(i, 0) = means[k][0] + s * stream.normal();
      x(i, 1) = means[k][1] + s * stream.normal();
    }
    return x;
  }
};

// ∇ log p_σ: p_σ = Σ_k w_k N(μ_k, (s² + σ²) I), a softmax over components.
class ExactMixtureScore final : public ScoreModel {
 public:
  explicit ExactMixtureScore(Mixture m) : m_(std::move(m)) {}
  int dim() const override { return 2; }
  void score(const Points& x, const NoiseLevel& level, Points& out) const override {
    const double var = m_.s * m_.s + level.sigma * level.sigma;
    out.resize(x.rows(), 2);
    std::vector<double> logit(m_.weights.size());
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      double top = -INFINITY;
      for (std::size_t k = 0; k < logit.size(); ++k) {
        const double dx = x(i, 0) - m_.means[k][0], dy = x(i, 1) - m_.means[k][1];
        logit[k] = std::log(m_.weights[k]) - (dx * dx + dy * dy) / (2 * var);
        top = std::max(top, logit[k]);
      }
      double z = 0, gx = 0, gy = 0;
      for (std::size_t k = 0; k < logit.size(); ++k) {
        const double r = std::exp(logit[k] - top);
        z += r;
        gx += r * (m_.means[k][0] - x(i, 0));
        gy += r * (m_.means[k][1] - x(i, 1));
      }
      out(i, 0) = gx / (z * var);
      out(i, 1) = gy / (z * var);
    }
  }

 private:
  Mixture m_;
};

// Probability-flow ODE dx/dσ = −σ ∇log p_σ(x) with Heun steps on the EDM schedule (ρ = 7), last step Euler
// to σ = 0. Started from the exact p_{σ_max} (data plus noise), so only the score and the steps matter.
Points sample_probability_flow(const ScoreModel& score, const Mixture& m, int n, int steps, double sigma_max,
                               double sigma_min, Stream& stream) {
  std::vector<double> sig(static_cast<std::size_t>(steps) + 1);
  const double rho = 7.0;
  for (int i = 0; i < steps; ++i)
    sig[static_cast<std::size_t>(i)] =
        std::pow(std::pow(sigma_max, 1 / rho) +
                     i / (steps - 1.0) * (std::pow(sigma_min, 1 / rho) - std::pow(sigma_max, 1 / rho)),
                 rho);
  sig.back() = 0.0;
  Points x = m.sample(n, stream);
  for (Eigen::Index k = 0; k < x.size(); ++k) x.data()[k] += sigma_max * stream.normal();
  Points s1, s2, x_euler;
  for (int i = 0; i < steps; ++i) {
    const double a = sig[static_cast<std::size_t>(i)], b = sig[static_cast<std::size_t>(i) + 1];
    score.score(x, NoiseLevel{a, 1.0, a}, s1);
    const Points d1 = -a * s1;
    x_euler = x + (b - a) * d1;
    if (b == 0.0) {
      x = x_euler;
      break;
    }
    score.score(x_euler, NoiseLevel{b, 1.0, b}, s2);
    const Points d2 = -b * s2;
    x += (b - a) * 0.5 * (d1 + d2);
  }
  return x;
}

// Unbiased MMD² with a Gaussian kernel of bandwidth h.
double mmd2_unbiased(const Points& x, const Points& y, double h) {
  auto k = [h](const Points& a, Eigen::Index i, const Points& b, Eigen::Index j) {
    const double dx = a(i, 0) - b(j, 0), dy = a(i, 1) - b(j, 1);
    return std::exp(-(dx * dx + dy * dy) / (2 * h * h));
  };
  const auto n = x.rows(), m = y.rows();
  double kxx = 0, kyy = 0, kxy = 0;
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = i + 1; j < n; ++j) kxx += k(x, i, x, j);
  for (Eigen::Index i = 0; i < m; ++i)
    for (Eigen::Index j = i + 1; j < m; ++j) kyy += k(y, i, y, j);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < m; ++j) kxy += k(x, i, y, j);
  return 2 * kxx / (double(n) * (n - 1)) + 2 * kyy / (double(m) * (m - 1)) - 2 * kxy / (double(n) * m);
}

}  // namespace

TEST_CASE("A DSM-trained MLP samples a Gaussian mixture indistinguishably from the data at n = 2000 (MMD)",
          "[mlp][physics]") {
  const Mixture mix;
  const int n = 2000, steps = 40;
  const double sigma_min = 0.002, sigma_max = 20.0, bandwidth = 0.5;
  Stream data_stream(2024, 0, 0, Purpose::patterns);
  const Points train = mix.sample(20000, data_stream);

  MlpArchitecture arch;
  arch.width = 64;
  arch.depth = 3;
  arch.data_std = 1.7;  // the mixture's per-coordinate standard deviation, about
  Mlp net(arch);
  Stream init(2024, 0, 0, Purpose::init);
  net.initialize(init);
  Mlp untrained = net;
  TrainingConfig cfg;
  cfg.batch = 256;
  cfg.adam.learning_rate = 2e-3;
  const long steps_total = 12000;
  cfg.schedule = LearningRateSchedule::cosine;  // the decay matters: constant 2e-3 leaves MMD² ~10x larger
  cfg.schedule_steps = steps_total;
  cfg.noise = NoiseDistribution::log_uniform(sigma_min, sigma_max);
  DsmTrainer<double> trainer(net, cfg);
  Stream train_stream(2024, 0, 0, Purpose::training);
  trainer.train(train, train_stream, steps_total);

  const ExactMixtureScore exact(mix);
  Stream eval(2024, 0, 0, Purpose::evaluation);
  Stream dyn(2024, 0, 0, Purpose::dynamics);
  const Points from_exact = sample_probability_flow(exact, mix, n, steps, sigma_max, sigma_min, dyn);
  const Points from_net = sample_probability_flow(PreconditionedScore(net), mix, n, steps, sigma_max, sigma_min, dyn);
  const Points from_untrained =
      sample_probability_flow(PreconditionedScore(untrained), mix, n, steps, sigma_max, sigma_min, dyn);
  const double mmd2_exact = mmd2_unbiased(from_exact, mix.sample(n, eval), bandwidth);
  const double mmd2_net = mmd2_unbiased(from_net, mix.sample(n, eval), bandwidth);
  const double mmd2_untrained = mmd2_unbiased(from_untrained, mix.sample(n, eval), bandwidth);

  // The estimator's spread when both sets come from p itself: the statistical floor of any comparison. 64 draws
  // pin its standard deviation to a relative 1/sqrt(2 x 63) = 9 % (8 draws: 27 %), so the threshold of four of
  // them is itself known to within 36 % at 4 standard errors.
  const int null_repeats = 64;
  std::vector<double> null;
  for (int r = 0; r < null_repeats; ++r)
    null.push_back(mmd2_unbiased(mix.sample(n, eval), mix.sample(n, eval), bandwidth));
  double null_mean = 0, null_var = 0;
  for (double v : null) null_mean += v / null_repeats;
  for (double v : null) null_var += (v - null_mean) * (v - null_mean) / (null_repeats - 1);
  const double null_sd = std::sqrt(null_var);
  // The estimator is unbiased: the null draws average to zero within 4 standard errors.
  CHECK(std::abs(null_mean) < 4 * null_sd / std::sqrt(null_repeats));
  const double threshold = 4 * null_sd;

  // Power: models that are wrong by a little fail. Samples of the mixture with two weights moved by 0.1, and with
  // components 20 % too wide, have MMD² several times the threshold (and a useless, untrained network far more).
  Mixture wrong_weights = mix, too_wide = mix;
  wrong_weights.weights = {0.4, 0.4, 0.2};
  too_wide.s = 0.6;
  const double mmd2_wrong_weights = mmd2_unbiased(wrong_weights.sample(n, dyn), mix.sample(n, eval), bandwidth);
  const double mmd2_too_wide = mmd2_unbiased(too_wide.sample(n, dyn), mix.sample(n, eval), bandwidth);

  double late_loss = 0;
  for (std::size_t k = trainer.loss_curve().size() - 500; k < trainer.loss_curve().size(); ++k)
    late_loss += trainer.loss_curve()[k] / 500;
  // Reported on every run: the figures behind the verdict.
  WARN("MMD² threshold " << threshold << " (null sd " << null_sd << ", mean " << null_mean << "); exact score "
                         << mmd2_exact << ", learned " << mmd2_net << ", untrained " << mmd2_untrained
                         << ", weights off by 0.1 " << mmd2_wrong_weights << ", widths 20 % too large " << mmd2_too_wide
                         << "; final loss " << late_loss);
  CHECK(mmd2_exact < threshold);  // the sampler itself is accurate at this resolution
  CHECK(mmd2_net < threshold);
  CHECK(mmd2_untrained > threshold);
  CHECK(mmd2_wrong_weights > threshold);
  CHECK(mmd2_too_wide > threshold);
}
