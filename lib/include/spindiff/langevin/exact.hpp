#pragma once
// Exact Boltzmann statistics rho = exp(-U/T)/Z by adaptive Gauss-Kronrod quadrature (Boost.Math), in 1-D
// and 2-D, and the exact 1-D mean first-passage time and Kramers' estimate.
#include <array>
#include <functional>
#include <vector>

namespace spindiff::langevin {

class Boltzmann1D {
 public:
  // `lo`, `hi` must bracket the minima of U; the integration range is widened until exp(-(U - U_min)/T) < e^-60.
  Boltzmann1D(std::function<double(double)> energy, double T, double lo, double hi);

  double density(double x) const;
  double probability(double a, double b) const;  // integral of rho over [a, b]
  std::vector<double> bin_probabilities(const std::vector<double>& edges) const;
  double expectation(const std::function<double(double)>& f) const;
  double mean_energy() const;
  double range_lo() const { return lo_; }
  double range_hi() const { return hi_; }

 private:
  double weight(double x) const;  // exp(-(U - U0)/T)
  std::function<double(double)> energy_;
  double T_, u0_ = 0.0, lo_ = 0.0, hi_ = 0.0, z_ = 1.0;
};

class Boltzmann2D {
 public:
  using Energy = std::function<double(double, double)>;
  // The box [lo, hi] must bracket the minima; it is widened until the weight on its edges is below e^-60.
  Boltzmann2D(Energy energy, double T, std::array<double, 2> lo, std::array<double, 2> hi);

  double density(double x, double y) const;
  double probability(double x0, double x1, double y0, double y1) const;
  // Row-major [ix * ny + iy] bin probabilities of the grid edges_x x edges_y.
  std::vector<double> bin_probabilities(const std::vector<double>& edges_x, const std::vector<double>& edges_y) const;
  double expectation(const Energy& f) const;
  double mean_energy() const;

 private:
  double weight(double x, double y) const;
  double integrate(const Energy& f, double x0, double x1, double y0, double y1) const;
  Energy energy_;
  double T_, u0_ = 0.0, z_ = 1.0;
  std::array<double, 2> lo_{}, hi_{};
};

// Mean first-passage time from a to b > a (or b < a) of overdamped dynamics with friction gamma:
// tau = (gamma/T) int_a^b dy e^{U(y)/T} int_{-inf}^y dz e^{-U(z)/T}   (mirrored when b < a).
double mfpt_exact_1d(const std::function<double(double)>& energy, double T, double a, double b, double gamma = 1.0);

// Kramers' escape time 1/k, k = sqrt(U''(min) |U''(barrier)|) / (2 pi gamma) e^{-dU/T}.
double mfpt_kramers(double curvature_min, double curvature_barrier, double barrier, double T, double gamma = 1.0);

}  // namespace spindiff::langevin
