// Backpropagation against central finite differences, and Adam against its defining formulas.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "spindiff/diffusion/mlp.hpp"
#include "spindiff/diffusion/preconditioned_score.hpp"
#include "spindiff/diffusion/training.hpp"

using namespace spindiff;
using namespace spindiff::diffusion;

TEST_CASE("MLP backprop matches central finite differences of the DSM loss", "[mlp]") {
  const MlpArchitecture arch{.dim = 3, .width = 7, .depth = 3, .n_frequencies = 2, .data_std = 1.3};
  Mlp net(arch);
  Stream init(11, 0, 0, Purpose::init);
  net.initialize(init);
  // Larger weights than the default init so that the SiLU's curvature matters in every layer.
  for (double& p : net.parameters()) p *= 3.0;

  const int n = 6;
  auto ws = net.make_workspace(n);
  Mlp::Matrix targets(arch.dim, n);
  Stream data(11, 0, 0, Purpose::training);
  std::vector<double> x(static_cast<std::size_t>(arch.dim));
  for (int j = 0; j < n; ++j) {
    for (double& xi : x) xi = 2.0 * data.normal();
    const double sigma = std::exp(data.uniform(-3.0, 2.0));
    net.write_features(x.data(), data.uniform(0.2, 1.0), sigma, &ws.act[0](0, j));
    for (int i = 0; i < arch.dim; ++i) targets(i, j) = data.normal();
  }

  std::vector<double> grad(net.parameter_count());
  DsmTrainer<double>::loss_and_gradient(net, ws, targets, n, grad);

  std::vector<double> scratch(net.parameter_count());
  auto loss_at = [&](std::size_t k, double value) {
    const double saved = net.parameters()[k];
    net.parameters()[k] = value;
    const double loss = DsmTrainer<double>::loss_and_gradient(net, ws, targets, n, scratch);
    net.parameters()[k] = saved;
    return loss;
  };

  double max_abs = 0.0;
  for (double g : grad) max_abs = std::max(max_abs, std::abs(g));
  REQUIRE(max_abs > 0.0);
  double diff2 = 0.0, norm2 = 0.0;
  for (std::size_t k = 0; k < grad.size(); ++k) {
    const double p = net.parameters()[k];
    const double h = 1e-5 * std::max(1.0, std::abs(p));
    const double fd = (loss_at(k, p + h) - loss_at(k, p - h)) / (2.0 * h);
    // Truncation O(h²) and rounding O(eps/h) are both ~1e-10 here.
    INFO("parameter " << k << ": backprop " << grad[k] << ", finite difference " << fd);
    CHECK(std::abs(fd - grad[k]) <= 1e-6 * std::max(std::abs(grad[k]), 1e-3 * max_abs));
    diff2 += (fd - grad[k]) * (fd - grad[k]);
    norm2 += grad[k] * grad[k];
  }
  CHECK(std::sqrt(diff2 / norm2) < 1e-6);
}

TEST_CASE("The score is -eps_hat/sigma and does not depend on how points are blocked", "[mlp]") {
  MlpArchitecture arch;
  arch.width = 16;
  arch.depth = 2;
  Mlp net(arch);
  Stream init(3, 0, 0, Purpose::init);
  net.initialize(init);
  // 600 points cross the internal 256-point chunks; each row must equal its one-point evaluation.
  Points x(600, 2);
  Stream s(3, 0, 0, Purpose::evaluation);
  for (Eigen::Index k = 0; k < x.size(); ++k) x.data()[k] = 3.0 * s.normal();
  const NoiseLevel level{0.0, 0.8, 0.37};
  Points out;
  PreconditionedScore(net).score(x, level, out);
  auto ws = net.make_workspace(1);
  for (Eigen::Index i = 0; i < x.rows(); i += 97) {
    net.write_features(&x(i, 0), level.scale, level.sigma, &ws.act[0](0, 0));
    net.forward(ws, 1);
    for (int d = 0; d < 2; ++d) CHECK(out(i, d) == Approx(-ws.output(d, 0) / level.sigma).epsilon(1e-12));
  }
}

TEST_CASE("Adam's update follows its defining recursion", "[mlp]") {
  AdamConfig cfg;
  cfg.learning_rate = 0.01;
  const std::vector<double> g1 = {0.5, -2.0, 1e-9, 0.0};
  const std::vector<double> g2 = {-0.25, -1.0, 3.0, 0.1};
  std::vector<double> p = {1.0, 2.0, 3.0, 4.0};
  const std::vector<double> p0 = p;
  Adam<double> adam(p.size(), cfg);
  adam.step(p, g1);
  adam.step(p, g2);
  for (std::size_t k = 0; k < p.size(); ++k) {
    double m = 0, v = 0, q = p0[k];
    int t = 0;
    for (double g : {g1[k], g2[k]}) {
      ++t;
      m = cfg.beta1 * m + (1 - cfg.beta1) * g;
      v = cfg.beta2 * v + (1 - cfg.beta2) * g * g;
      const double mhat = m / (1 - std::pow(cfg.beta1, t));
      const double vhat = v / (1 - std::pow(cfg.beta2, t));
      q -= cfg.learning_rate * mhat / (std::sqrt(vhat) + cfg.epsilon);
    }
    CHECK(p[k] == Approx(q).epsilon(1e-12));
  }
  // The first step moves each coordinate by lr g/(|g| + eps): about lr, whatever the gradient's size.
  std::vector<double> r = {0.0, 0.0};
  Adam<double> first(2, cfg);
  const std::vector<double> g = {1e-3, -1e3};
  first.step(r, g);
  CHECK(r[0] == Approx(-cfg.learning_rate).epsilon(1e-4));
  CHECK(r[1] == Approx(cfg.learning_rate).epsilon(1e-9));
}

TEST_CASE("DSM training is a deterministic function of the stream", "[mlp]") {
  MlpArchitecture arch;
  arch.width = 32;
  arch.depth = 2;
  Points data(500, 2);
  Stream ds(5, 0, 0, Purpose::patterns);
  for (Eigen::Index k = 0; k < data.size(); ++k) data.data()[k] = ds.normal();
  TrainingConfig cfg;
  cfg.batch = 64;
  cfg.noise = NoiseDistribution::log_uniform(0.01, 10.0);

  auto run = [&](std::uint64_t seed) {
    MlpFloat net(arch);
    Stream init(seed, 0, 0, Purpose::init);
    net.initialize(init);
    DsmTrainer<float> trainer(net, cfg);
    Stream stream(seed, 0, 0, Purpose::training);
    trainer.train(data, stream, 50);
    return std::make_pair(trainer.loss_curve(), std::vector<float>(net.parameters().begin(), net.parameters().end()));
  };
  const auto a = run(1);
  const auto b = run(1);
  const auto c = run(2);
  CHECK(a.first.size() == 50);
  CHECK(a.first == b.first);
  CHECK(a.second == b.second);
  CHECK(a.first != c.first);
}
