#pragma once
// Exact results for the 2-D square-lattice Ising model (J = k_B = 1, h = 0, infinite lattice):
// Onsager's energy and specific heat, Yang's spontaneous magnetisation.
#include <cmath>

namespace spindiff::spins::onsager {

// T_c = 2 / ln(1 + sqrt 2).
inline const double critical_temperature = 2.0 / std::log(1.0 + std::sqrt(2.0));

// Energy per spin u(T) = -coth(2b)[1 + (2/pi) k' K(k)], k = 2 sinh 2b / cosh^2 2b, k' = 2 tanh^2 2b - 1.
double energy(double T);
// Specific heat per spin c(T) = (2/pi)(b coth 2b)^2 {2K - 2E - (1 - k')[pi/2 + k' K]} (infinite at T_c).
double specific_heat(double T);
// Spontaneous magnetisation M(T) = [1 - sinh^-4(2b)]^(1/8) below T_c, 0 above.
double magnetization(double T);

}  // namespace spindiff::spins::onsager
