#pragma once
// Observables of sampled positions: histograms, distances to exact laws, moments (autocorrelation and binning:
// spindiff/stats).
#include <cstdint>
#include <span>
#include <vector>

namespace spindiff::langevin {

// bins + 1 equally spaced edges from lo to hi.
std::vector<double> linspace_edges(double lo, double hi, int bins);

// Total-variation distance between an empirical law (bin frequencies p_hat, mass outside the bins
// p_hat_out) and an exact one (bin probabilities p, outside mass p_out): (1/2) sum |p_hat - p|.
double total_variation(std::span<const double> p_hat, std::span<const double> p, double p_hat_out = 0.0,
                       double p_out = 0.0);
// KL(p_hat || p) = sum p_hat log(p_hat / p) over the bins (and the outside cell); finite whenever p > 0.
double kl_divergence(std::span<const double> p_hat, std::span<const double> p, double p_hat_out = 0.0,
                     double p_out = 0.0);

struct Moments {
  double mean = 0.0;
  double variance = 0.0;
  double skewness = 0.0;
  double excess_kurtosis = 0.0;
};
// From power sums s1 = sum x, s2 = sum x^2, s3, s4 over n values.
Moments moments_from_sums(double n, double s1, double s2, double s3, double s4);

}  // namespace spindiff::langevin
