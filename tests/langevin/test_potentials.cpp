#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "spindiff/langevin/exact.hpp"
#include "spindiff/langevin/potentials.hpp"

namespace sl = spindiff::langevin;

namespace {

sl::PotentialSpec spec(std::string name, int dim, double T = 1.0) {
  sl::PotentialSpec s;
  s.name = std::move(name);
  s.dim = dim;
  s.T = T;
  return s;
}

// Central finite differences of the block energy against the block gradient, at random-looking points.
void check_gradient(const sl::Potential& pot, int dim, double spread) {
  const int n = 7;
  sl::Coords x(n, dim);
  for (int i = 0; i < n; ++i)
    for (int c = 0; c < dim; ++c) x(i, c) = spread * std::sin(1.3 * i + 2.1 * c + 0.4);
  sl::Workspace ws;
  sl::Coords g;
  sl::Values u;
  std::visit([&](const auto& p) { p.evaluate(x, &u, &g, ws); }, pot);
  const double h = 1e-6;
  for (int i = 0; i < n; ++i) {
    std::vector<double> point(dim);
    for (int c = 0; c < dim; ++c) point[c] = x(i, c);
    CHECK(u(i) == Approx(sl::potential_energy_at(pot, point)).epsilon(1e-12).margin(1e-12));
    for (int c = 0; c < dim; ++c) {
      auto plus = point, minus = point;
      plus[c] += h;
      minus[c] -= h;
      const double fd = (sl::potential_energy_at(pot, plus) - sl::potential_energy_at(pot, minus)) / (2 * h);
      // Central differences err by O(h^2 U''') plus rounding O(eps |U| / h).
      CHECK(g(i, c) == Approx(fd).epsilon(1e-6).margin(1e-6 * (1.0 + std::abs(u(i)))));
    }
  }
}

// The score of N(0, s^2 I): a stand-in for a diffusion score model.
class GaussianScore : public spindiff::diffusion::ScoreModel {
 public:
  explicit GaussianScore(double s) : s_(s) {}
  void score(const spindiff::diffusion::Points& x, const spindiff::diffusion::NoiseLevel&,
             spindiff::diffusion::Points& out) const override {
    out = -x / (s_ * s_);
  }
  int dim() const override { return 2; }

 private:
  double s_;
};

}  // namespace

TEST_CASE("potential gradients match finite differences of the energy", "[langevin][potentials]") {
  for (int dim : {1, 2, 3}) {
    sl::PotentialSpec h = spec("harmonic", dim);
    h.k = 2.5;
    check_gradient(sl::make_potential(h), dim, 1.5);
    sl::PotentialSpec dw = spec("double_well", dim);
    dw.a = 0.3;
    dw.b = 0.7;
    check_gradient(sl::make_potential(dw), dim, 1.5);
    sl::PotentialSpec mix = spec("mixture", dim, 0.7);
    mix.weights = {0.2, 0.8};
    for (int k = 0; k < 2; ++k)
      for (int c = 0; c < dim; ++c) mix.means.push_back(k == 0 ? -1.0 - 0.1 * c : 1.0 + 0.2 * c);
    mix.sigmas = {0.5, 0.8};
    check_gradient(sl::make_potential(mix), dim, 1.5);
  }
  sl::PotentialSpec mb = spec("muller_brown", 2);
  mb.mb_scale = 0.05;
  check_gradient(sl::make_potential(mb), 2, 1.0);
}

TEST_CASE("double well geometry and Mueller-Brown minimum", "[langevin][potentials]") {
  const sl::DoubleWell dw{1, 0.25, 0.5};
  CHECK(dw.minimum() == Approx(1.0));
  CHECK(dw.barrier() == Approx(0.25));
  CHECK(dw.marginal_energy(1.0) == Approx(-0.25));
  // The published deepest minimum of Mueller-Brown: U(-0.558, 1.442) = -146.70.
  const sl::MullerBrown mb{1.0};
  const double p[2] = {-0.55822, 1.44173};
  CHECK(mb.energy_at(p) == Approx(-146.6995).margin(1e-3));
}

TEST_CASE("mixture potential: exp(-U/T) is the normalised mixture density", "[langevin][potentials]") {
  const auto mix = sl::make_mixture(1, 0.3, {1.0, 3.0}, {-2.0, 1.0}, {0.5});
  // Normalised at any T: integral of exp(-E/T) = 1, and the mean is sum w_k mu_k.
  auto energy = [&](double x) { return mix.marginal_energy(x); };
  const double lo = -8, hi = 8;
  double integral = 0.0, mean = 0.0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    const double x = lo + (hi - lo) * (i + 0.5) / n;
    integral += std::exp(-energy(x) / mix.T) * (hi - lo) / n;
    mean += x * std::exp(-energy(x) / mix.T) * (hi - lo) / n;
  }
  CHECK(integral == Approx(1.0).epsilon(1e-8));
  CHECK(mean == Approx(0.25 * -2.0 + 0.75 * 1.0).epsilon(1e-8));
}

TEST_CASE("score potential: force = T * score", "[langevin][potentials]") {
  const GaussianScore model(0.5);
  const sl::ScorePotential pot{&model, {}, 0.8, 2};
  sl::Coords x(3, 2);
  x << 1.0, -2.0, 0.5, 0.25, -1.0, 3.0;
  sl::Coords g;
  sl::Workspace ws;
  pot.evaluate(x, nullptr, &g, ws);
  for (int i = 0; i < 3; ++i)
    for (int c = 0; c < 2; ++c) CHECK(g(i, c) == Approx(0.8 * x(i, c) / 0.25));
}

TEST_CASE("make_potential rejects bad specs", "[langevin][potentials]") {
  CHECK_THROWS_AS(sl::make_potential(spec("nope", 1)), std::invalid_argument);
  CHECK_THROWS_AS(sl::make_potential(spec("muller_brown", 3)), std::invalid_argument);
  sl::PotentialSpec mix = spec("mixture", 2);
  mix.weights = {1.0};
  mix.means = {0.0};  // needs 2 numbers
  mix.sigmas = {1.0};
  CHECK_THROWS_AS(sl::make_potential(mix), std::invalid_argument);
}

TEST_CASE("the mixture potential is -T log p and -T grad log p of the one mixture type", "[langevin][potentials]") {
  // The potential holds a diffusion::GaussianMixture; its energy and force must be those of the exact density
  // and score of that same mixture at zero noise (different code paths: isotropic sums vs Cholesky factors).
  const double T = 0.7;
  const sl::MixturePotential pot =
      sl::make_mixture(2, T, {0.2, 0.5, 0.3}, {-2.0, 0.0, 2.0, 1.0, 0.5, -2.5}, {0.7, 0.4, 1.1});
  const spindiff::diffusion::GaussianMixtureScore exact(pot.mixture);
  const int n = 9;
  spindiff::diffusion::Points x(n, 2);
  for (int i = 0; i < n; ++i)
    for (int c = 0; c < 2; ++c) x(i, c) = 2.5 * std::sin(0.9 * i + 1.7 * c + 0.3);
  const spindiff::diffusion::NoiseLevel clean{0.0, 1.0, 0.0};
  const Eigen::VectorXd log_p = exact.log_density(x, clean);
  spindiff::diffusion::Points score;
  exact.score(x, clean, score);
  sl::Workspace ws;
  sl::Coords g;
  sl::Values u;
  pot.evaluate(x.array(), &u, &g, ws);
  for (int i = 0; i < n; ++i) {
    CHECK(u[i] == Approx(-T * log_p[i]).epsilon(1e-12));
    for (int c = 0; c < 2; ++c) CHECK(g(i, c) == Approx(-T * score(i, c)).epsilon(1e-10).margin(1e-12));
  }
}
