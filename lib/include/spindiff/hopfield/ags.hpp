#pragma once
// Replica-symmetric theory of Amit, Gutfreund and Sompolinsky (1985, 1987) at T = 0 for the Hebb rule.
// With y = m / √(2αr): m = erf(y) and √(2α) = [erf y − (2y/√π) e^{−y²}] / y.
namespace spindiff::hopfield::ags {

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

}  // namespace spindiff::hopfield::ags
