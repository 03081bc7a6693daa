// The EDM parameterisation (Karras et al. 2022): with F = 0 the score is the exact score of Gaussian data
// N(0, s² I), and for such data F = 0 is the optimum of the training loss (its expected gradient vanishes)
// while the epsilon network's F = 0 is not.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "spindiff/diffusion/forward_process.hpp"
#include "spindiff/diffusion/mlp.hpp"
#include "spindiff/diffusion/preconditioned_score.hpp"
#include "spindiff/diffusion/training.hpp"

using namespace spindiff;
using namespace spindiff::diffusion;

namespace {

MlpArchitecture small_architecture(Parameterisation parameterisation) {
  return {.dim = 2, .width = 8, .depth = 1, .n_frequencies = 2, .data_std = 0.7, .parameterisation = parameterisation};
}

// Random hidden layer, zero output layer: F(x) = 0 everywhere but the output gradient sees nonlinear features.
Mlp zero_output_network(const MlpArchitecture& arch) {
  Mlp net(arch);
  Stream init(21, 0, 0, Purpose::init);
  net.initialize(init);
  const auto& out = net.layers().back();
  for (std::ptrdiff_t k = out.weight_offset; k < out.bias_offset + out.out; ++k)
    net.parameters()[static_cast<std::size_t>(k)] = 0.0;
  return net;
}

struct GradientStatistics {
  double mean_loss = 0.0, loss_error = 0.0;
  std::vector<double> z;  // mean / standard error of each output-layer gradient component
};

// Minibatch losses and output-layer gradients of the zero-output network on Gaussian data N(0, s² I), over
// independent batches; the batch means are independent draws, so their spread gives the standard errors.
GradientStatistics gradient_statistics(const Mlp& net, const NoiseDistribution& noise, int batches, int batch) {
  const MlpArchitecture& arch = net.architecture();
  const int d = arch.dim;
  auto ws = net.make_workspace(batch);
  Mlp::Matrix targets(d, batch);
  std::vector<double> x0(static_cast<std::size_t>(d)), xt(x0), eps(x0), grad(net.parameter_count());
  const auto& out = net.layers().back();
  const auto first = static_cast<std::size_t>(out.weight_offset);
  const std::size_t count = static_cast<std::size_t>(out.bias_offset + out.out) - first;
  std::vector<double> sum(count, 0.0), sum2(count, 0.0);
  double loss_sum = 0.0, loss_sum2 = 0.0;
  Stream stream(22, 0, 0, Purpose::training);
  for (int b = 0; b < batches; ++b) {
    for (int j = 0; j < batch; ++j) {
      const NoiseLevel level = noise.sample(stream);
      for (int i = 0; i < d; ++i) {
        x0[static_cast<std::size_t>(i)] = arch.data_std * stream.normal();
        eps[static_cast<std::size_t>(i)] = stream.normal();
        xt[static_cast<std::size_t>(i)] =
            level.scale * x0[static_cast<std::size_t>(i)] + level.sigma * eps[static_cast<std::size_t>(i)];
      }
      net.write_features(xt.data(), level.scale, level.sigma, &ws.act[0](0, j));
      net.write_target(x0.data(), xt.data(), eps.data(), level.scale, level.sigma, &targets(0, j));
    }
    const double loss = DsmTrainer<double>::loss_and_gradient(net, ws, targets, batch, grad);
    loss_sum += loss;
    loss_sum2 += loss * loss;
    for (std::size_t k = 0; k < count; ++k) {
      sum[k] += grad[first + k];
      sum2[k] += grad[first + k] * grad[first + k];
    }
  }
  GradientStatistics s;
  const double m = batches;
  s.mean_loss = loss_sum / m;
  s.loss_error = std::sqrt((loss_sum2 / m - s.mean_loss * s.mean_loss) / (m - 1));
  for (std::size_t k = 0; k < count; ++k) {
    const double mean = sum[k] / m;
    const double error = std::sqrt((sum2[k] / m - mean * mean) / (m - 1));
    s.z.push_back(mean / error);
  }
  return s;
}

double max_abs(const std::vector<double>& v) {
  double m = 0.0;
  for (double x : v) m = std::max(m, std::abs(x));
  return m;
}

}  // namespace

TEST_CASE("EDM coefficients: c_skip is the optimal linear denoiser and c_out the residual RMS", "[mlp][edm]") {
  for (const double a : {1.0, 0.6}) {
    for (const double sigma : {0.01, 0.5, 3.0, 80.0}) {
      const double s = 0.7;
      const EdmCoefficients c = edm_coefficients(a, sigma, s);
      // x = a y + σ n: E[y x]/E[x²] = a s²/(a² s² + σ²); residual variance s² − a² s⁴/(a² s² + σ²).
      CHECK(c.c_skip == Approx(a * s * s / (a * a * s * s + sigma * sigma)).epsilon(1e-14));
      CHECK(c.c_out * c.c_out ==
            Approx(s * s - a * a * s * s * s * s / (a * a * s * s + sigma * sigma)).epsilon(1e-12));
      CHECK(c.c_in == Approx(1.0 / std::sqrt(a * a * s * s + sigma * sigma)).epsilon(1e-14));
    }
  }
}

TEST_CASE("EDM network with F = 0 returns the exact score of Gaussian data N(0, s^2 I)", "[mlp][edm]") {
  const MlpArchitecture arch = small_architecture(Parameterisation::edm);
  const Mlp net = zero_output_network(arch);
  Points x(50, arch.dim), s;
  Stream draw(23, 0, 0, Purpose::evaluation);
  for (Eigen::Index k = 0; k < x.size(); ++k) x.data()[k] = 3.0 * draw.normal();
  for (const NoiseLevel level :
       {NoiseLevel{0, 1.0, 0.002}, NoiseLevel{0, 1.0, 0.9}, NoiseLevel{0, 0.5, 0.7}, NoiseLevel{0, 1.0, 80.0}}) {
    PreconditionedScore(net).score(x, level, s);
    // p_t = N(0, (a² s² + σ²) I)
    const double variance = level.scale * level.scale * arch.data_std * arch.data_std + level.sigma * level.sigma;
    const Points exact = -x / variance;
    CHECK((s - exact).cwiseAbs().maxCoeff() <= 1e-12 * exact.cwiseAbs().maxCoeff());
  }
}

TEST_CASE("For Gaussian data F = 0 is optimal under the EDM loss but not under the epsilon loss", "[mlp][edm]") {
  const int batches = 300, batch = 256;
  const NoiseDistribution unit_scale = NoiseDistribution::log_uniform(0.01, 50.0);
  const VariancePreserving vp;
  const NoiseDistribution scaled = NoiseDistribution::process_times(0.02, 1.0, [&vp](double t) { return vp.level(t); });
  for (const NoiseDistribution* noise : {&unit_scale, &scaled}) {
    // EDM: the target (x_0 − c_skip x_t)/c_out is N(0, I) and independent of x_t, so the loss per point is d
    // and the expected gradient of every output-layer parameter vanishes.
    const Mlp edm = zero_output_network(small_architecture(Parameterisation::edm));
    const GradientStatistics g = gradient_statistics(edm, *noise, batches, batch);
    INFO("EDM loss " << g.mean_loss << " +- " << g.loss_error << ", largest |z| " << max_abs(g.z));
    CHECK(std::abs(g.mean_loss - edm.architecture().dim) < 4.0 * g.loss_error);
    // 18 components: P(max |z| > 4.5) < 18 × 7e-6.
    CHECK(max_abs(g.z) < 4.5);

    // Epsilon: the optimal ε̂ = σ c_in² x_t (Gaussian data) is far from 0, so the gradient at F = 0 is not 0.
    const Mlp eps = zero_output_network(small_architecture(Parameterisation::epsilon));
    const GradientStatistics ge = gradient_statistics(eps, *noise, batches, batch);
    INFO("epsilon largest |z| " << max_abs(ge.z));
    CHECK(max_abs(ge.z) > 10.0);
  }
}
