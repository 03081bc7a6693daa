#pragma once
// Amit-Gutfreund-Sompolinsky replica-symmetric theory of the Hopfield model at finite temperature
// (PRL 55:1530, 1985; Ann. Phys. 173:30, 1987), with load alpha = P/N and z ~ N(0, 1):
//   m = E_z tanh b(m + sqrt(alpha r) z),  q = E_z tanh^2 b(m + sqrt(alpha r) z),  r = q / (1 - b(1 - q))^2.
#include <vector>

namespace spindiff::spins::ags {

struct Solution {
  double m = 0, q = 0, r = 0;
  bool converged = false;
};

// Gauss-Hermite rule for E_z f(z), z ~ N(0, 1): nodes and weights (weights sum to 1). Golub-Welsch.
struct GaussHermite {
  std::vector<double> nodes, weights;
  explicit GaussHermite(int n = 201);
};

// Solves the RS equations by damped fixed-point iteration from (m, q) = (m0, q0); m0 = 1 follows the
// retrieval branch, m0 = 0 the spin-glass/paramagnetic branch.
Solution solve(double alpha, double T, double m0 = 1.0, double q0 = 1.0, const GaussHermite& gh = GaussHermite{});

// Spin-glass transition T_g = 1 + sqrt(alpha).
double spin_glass_temperature(double alpha);

// Retrieval boundary T_M(alpha): the largest T at which the retrieval branch (m > 0) exists (bisection
// on the branch followed from m = 1). Returns 0 when no retrieval state exists even at the lowest T probed.
double retrieval_temperature(double alpha, double tolerance = 1e-4);

}  // namespace spindiff::spins::ags
