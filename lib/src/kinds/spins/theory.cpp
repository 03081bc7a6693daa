#include <algorithm>
#include <cmath>

#include "common.hpp"
#include "spindiff/spins/onsager.hpp"

namespace spindiff::runner::spins_kinds {

void onsager_theory(std::span<const Params> tasks, TaskOutput& theory) {
  double lo = INFINITY, hi = -INFINITY;
  for (const Params& p : tasks)
    if (p.integer("dim") == 2) lo = std::min(lo, p.real("T")), hi = std::max(hi, p.real("T"));
  if (!(lo <= hi)) return;
  lo = std::max(0.05, lo - 0.1 * (hi - lo + 0.5)), hi = hi + 0.1 * (hi - lo + 0.5);
  const int n = 401;
  std::vector<double> T(n), u(n), c(n), M(n);
  for (int k = 0; k < n; ++k) {
    T[k] = lo + (hi - lo) * k / (n - 1);
    u[k] = spins::onsager::energy(T[k]);
    c[k] = spins::onsager::specific_heat(T[k]);
    M[k] = spins::onsager::magnetization(T[k]);
  }
  theory.array("onsager/T", T);
  theory.array("onsager/energy", u);
  theory.array("onsager/specific_heat", c);
  theory.array("onsager/abs_magnetization", M);
  theory.attribute("critical_temperature", spins::onsager::critical_temperature);
  theory.attribute("binder_crossing", 0.61069);  // Salas & Sokal 2000, periodic squares
}

}  // namespace spindiff::runner::spins_kinds
