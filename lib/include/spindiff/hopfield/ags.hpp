#pragma once
// Replica-symmetric theory of Amit, Gutfreund and Sompolinsky (PRL 55:1530, 1985; Ann. Phys. 173:30, 1987)
// for the Hebb rule at load alpha = P/N, with z ~ N(0, 1):
//   m = E_z tanh b(m + sqrt(alpha r) z),  q = E_z tanh^2 b(m + sqrt(alpha r) z),  r = q / (1 - b(1 - q))^2.
// At T = 0, with y = m / √(2αr): m = erf(y) and √(2α) = [erf y − (2y/√π) e^{−y²}] / y.
#include <vector>

namespace spindiff::hopfield::ags {

// ---- T = 0 ----

// α(y) = ([erf y − (2y/√π) e^{−y²}] / y)² / 2: the load at which y solves the equations.
double alpha_of_y(double y);

struct Critical {
  double alpha;  // α_c = max_y α(y) ≈ 0.13791
  double y;      // the maximiser
  double m;      // m_c = erf(y_c) ≈ 0.96742
};
Critical critical();

// Retrieval overlap at T = 0: the largest-y root of α(y) = α for α < α_c (m → 1 as α → 0), and 0 for
// α ≥ α_c, where the retrieval state no longer exists.
double retrieval_overlap(double alpha);

// ---- finite temperature ----

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

}  // namespace spindiff::hopfield::ags
