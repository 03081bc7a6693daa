#pragma once
// One-dimensional laws given by an unnormalised log-density, tabulated on a uniform grid and normalised by
// quadrature: the exact reference of guidance, whose target is the tilted law p(x | c)^{1+w} p(x)^{-w}.
#include <functional>

#include "spindiff/core/rng.hpp"
#include "spindiff/diffusion/gaussian_mixture.hpp"

namespace spindiff::diffusion {

class TabulatedLaw {
 public:
  // log_density on n >= 2 grid points from lo to hi (the law is taken to vanish outside); the trapezoidal
  // rule normalises it. Throws std::invalid_argument when the grid is empty or the density is not finite.
  TabulatedLaw(const std::function<double(double)>& log_density, double lo, double hi, int n);
  double density(double x) const;  // linear interpolation, 0 outside [lo, hi]
  double cdf(double x) const;
  double quantile(double u) const;  // inverse of the piecewise-linear-density CDF
  double mean() const;
  // n exact draws (inverse CDF of independent uniforms).
  Eigen::VectorXd sample(Eigen::Index n, Stream& stream) const;
  double lo() const { return lo_; }
  double hi() const { return hi_; }
  const Eigen::VectorXd& grid() const { return x_; }
  const Eigen::VectorXd& densities() const { return p_; }

 private:
  double lo_, hi_, h_;
  Eigen::VectorXd x_, p_, cdf_;
};

// Total-variation distance between the empirical law of the samples and the law, on `bins` equal bins spanning
// its [quantile(1e-4), quantile(1 - 1e-4)] plus the two tails: half the sum of |observed - expected| fractions.
double histogram_tv(const Eigen::VectorXd& samples, const TabulatedLaw& law, int bins);

// The tilted law p(x | c)^{1+w} p(x)^{-w} of a one-dimensional labelled mixture (classes given per component),
// tabulated over the components' mean +- 12 standard deviations.
TabulatedLaw tilted_law(const GaussianMixture& mixture, const std::vector<int>& labels, int target, double w,
                        int grid_points = 20001);

}  // namespace spindiff::diffusion
