#pragma once
// The 2-D Ising model on a finite L x L torus, exactly (Kaufman 1949; Ferdinand & Fisher 1969):
//   Z = 1/2 (2 sinh 2K)^(L^2/2) (Z1 + Z2 + Z3 + Z4),  K = J/T, h = 0,
//   Z1 = prod_r 2 cosh(L g_{2r+1}/2), Z2 = prod_r 2 sinh(L g_{2r+1}/2),
//   Z3 = prod_r 2 cosh(L g_{2r}/2),   Z4 = prod_r 2 sinh(L g_{2r}/2),   r = 0 .. L-1,
//   cosh g_k = cosh 2K coth 2K - cos(pi k / L),  g_0 = 2K + ln tanh K (signed: negative above T_c).
// Energy and specific heat come from analytic first and second K-derivatives of ln Z (no finite
// differences), so they hold to rounding at any L, T_c included.
namespace spindiff::spins::ising_exact {

struct Thermo {
  double log_z = 0;          // ln Z (whole lattice)
  double free_energy = 0;    // f = -T ln Z / L^2
  double energy = 0;         // u = <H> / L^2
  double specific_heat = 0;  // c = (<H^2> - <H>^2) / (T^2 L^2)
  double entropy = 0;        // s = (u - f) / T
};

// Exact thermodynamics per spin of the L x L periodic square lattice, H = -J sum_<ij> s_i s_j.
// Needs L >= 2, J > 0, T > 0.
Thermo torus(int L, double T, double J = 1.0);

}  // namespace spindiff::spins::ising_exact
