#pragma once
// Potentials U(x) on blocks of particles, with value and gradient.
//
// A block stores its particles as a structure of arrays: row = particle, column = coordinate,
// column-major, so one coordinate of all particles is contiguous and element-wise updates vectorise.
// Every potential provides the same members; integrators are templates over the potential type, and the
// run-time choice (std::variant) is dispatched once per block, never per particle.
#include <Eigen/Dense>
#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "spindiff/diffusion/gaussian_mixture.hpp"
#include "spindiff/diffusion/score.hpp"

namespace spindiff::langevin {

using Coords = Eigen::ArrayXXd;  // n particles x d coordinates
using Values = Eigen::ArrayXd;   // one number per particle

// Scratch arrays a potential may use while evaluating a block (reused: no allocation per step).
struct Workspace {
  Coords table;
  Values a, b;
  diffusion::Points points, score;
};

// U = (k/2) |x|^2: the Ornstein-Uhlenbeck process in every coordinate.
struct Harmonic {
  int dim = 1;
  double k = 1.0;
  static constexpr bool has_energy = true;
  static constexpr bool has_marginal = true;  // 1-D law of coordinate 0 known exactly

  // Separable potentials also give grad U as an Eigen expression, so Euler-Maruyama fuses it into one pass.
  template <class X>
  auto gradient_expr(const X& x) const {
    return k * x;
  }
  void evaluate(const Coords& x, Values* u, Coords* g, Workspace&) const {
    if (g) *g = gradient_expr(x);
    if (u) {
      *u = x.col(0).square();
      for (Eigen::Index c = 1; c < x.cols(); ++c) *u += x.col(c).square();
      *u *= 0.5 * k;
    }
  }
  double energy_at(std::span<const double> p) const {
    double s = 0.0;
    for (double v : p) s += v * v;
    return 0.5 * k * s;
  }
  // Energy of the 1-D marginal of coordinate 0 (density proportional to exp(-E/T)).
  double marginal_energy(double x) const { return 0.5 * k * x * x; }
};

// U = sum over coordinates of a x^4 - b x^2: minima at +-sqrt(b / 2a), barrier b^2 / 4a.
struct DoubleWell {
  int dim = 1;
  double a = 0.25;
  double b = 0.5;
  static constexpr bool has_energy = true;
  static constexpr bool has_marginal = true;

  template <class X>
  auto gradient_expr(const X& x) const {
    return x * ((4.0 * a) * x.square() - 2.0 * b);
  }
  void evaluate(const Coords& x, Values* u, Coords* g, Workspace&) const {
    if (g) *g = gradient_expr(x);
    if (u) {
      *u = x.col(0).square() * (a * x.col(0).square() - b);
      for (Eigen::Index c = 1; c < x.cols(); ++c) *u += x.col(c).square() * (a * x.col(c).square() - b);
    }
  }
  double energy_at(std::span<const double> p) const {
    double s = 0.0;
    for (double v : p) s += marginal_energy(v);
    return s;
  }
  double marginal_energy(double x) const { return x * x * (a * x * x - b); }
  double minimum() const { return std::sqrt(b / (2.0 * a)); }
  double barrier() const { return b * b / (4.0 * a); }
  double curvature_at_minimum() const { return 4.0 * b; }
  double curvature_at_barrier() const { return -2.0 * b; }
};

// Mueller-Brown (1979) 2-D surface, multiplied by `scale`.
struct MullerBrown {
  static constexpr int dim = 2;
  double scale = 1.0;
  static constexpr bool has_energy = true;
  static constexpr bool has_marginal = false;
  static constexpr double A[4] = {-200.0, -100.0, -170.0, 15.0};
  static constexpr double a[4] = {-1.0, -1.0, -6.5, 0.7};
  static constexpr double b[4] = {0.0, 0.0, 11.0, 0.6};
  static constexpr double c[4] = {-10.0, -10.0, -6.5, 0.7};
  static constexpr double x0[4] = {1.0, 0.0, -0.5, -1.0};
  static constexpr double y0[4] = {0.0, 0.5, 1.5, 1.0};

  void evaluate(const Coords& x, Values* u, Coords* g, Workspace& ws) const;
  double energy_at(std::span<const double> p) const;
  double marginal_energy(double) const { return std::numeric_limits<double>::quiet_NaN(); }
};

// U = -T log p for an isotropic Gaussian mixture p = sum_k w_k N(mu_k, sigma_k^2 I) (the diffusion area's
// mixture type, shared with the data sets and exact scores): exp(-U/T) is the mixture itself at any T.
struct MixturePotential {
  diffusion::GaussianMixture mixture;  // isotropic components (make_mixture builds it)
  double T = 1.0;
  int dim = 1;
  std::vector<double> sigmas;  // sigma_k = sqrt of the component variance, kept so a step takes no square root
  static constexpr bool has_energy = true;
  static constexpr bool has_marginal = true;

  void evaluate(const Coords& x, Values* u, Coords* g, Workspace& ws) const;
  double energy_at(std::span<const double> p) const;
  double marginal_energy(double x) const;
  int components() const { return mixture.components(); }
};

// A potential given by a score model s(x) = grad log p: U = -T log p, force = T s. The energy itself is
// unknown (no MALA, no energy observables); the stationary law is p at any T.
struct ScorePotential {
  const diffusion::ScoreModel* model = nullptr;
  diffusion::NoiseLevel level{};
  double T = 1.0;
  int dim = 1;
  static constexpr bool has_energy = false;
  static constexpr bool has_marginal = false;

  void evaluate(const Coords& x, Values* u, Coords* g, Workspace& ws) const;
  double energy_at(std::span<const double>) const { return std::numeric_limits<double>::quiet_NaN(); }
  double marginal_energy(double) const { return std::numeric_limits<double>::quiet_NaN(); }
};

using Potential = std::variant<Harmonic, DoubleWell, MullerBrown, MixturePotential, ScorePotential>;

// What a config names. `means` is K x dim flattened row by row; one sigma or K of them.
struct PotentialSpec {
  std::string name = "double_well";  // harmonic | double_well | muller_brown | mixture
  int dim = 1;
  double T = 1.0;
  double k = 1.0;
  double a = 0.25;
  double b = 0.5;
  double mb_scale = 1.0;
  std::vector<double> weights, means, sigmas;
};

// Throws std::invalid_argument on bad names or inconsistent parameters.
Potential make_potential(const PotentialSpec& spec);
MixturePotential make_mixture(int dim, double T, std::vector<double> weights, const std::vector<double>& means,
                              std::vector<double> sigmas);

int potential_dim(const Potential& p);
bool potential_has_energy(const Potential& p);
bool potential_has_marginal(const Potential& p);
double potential_energy_at(const Potential& p, std::span<const double> point);
double potential_marginal_energy(const Potential& p, double x);

}  // namespace spindiff::langevin
