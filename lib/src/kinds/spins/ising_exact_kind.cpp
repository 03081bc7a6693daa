// ising.exact: the 2-D Ising model on an L x L torus, exactly, at any L (Kaufman; Ferdinand & Fisher):
// the finite-size reference for Monte Carlo where Onsager's infinite lattice is not the right answer.
#include "common.hpp"
#include "spindiff/spins/ising_exact.hpp"
#include "spindiff/spins/onsager.hpp"

namespace spindiff::runner::spins_kinds {

Kind ising_exact_kind() {
  Kind k;
  k.name = "ising.exact";
  k.summary = "2-D Ising on an L x L torus, exact at any L: ln Z, free energy, energy, specific heat per spin";
  k.params = {
      summary(integer_param("L", 32, 2, 1e6, "lattice side (periodic L x L square lattice, h = 0)")),
      summary(real_param("T", 2.269185314213022, 1e-3, 1e6, "temperature (k_B = 1)")),
      real_param("J", 1.0, 1e-9, 1e9, "ferromagnetic coupling J > 0"),
  };
  k.run = [](const Params& p, const TaskContext&, TaskOutput& out) {
    const int L = static_cast<int>(p.integer("L"));
    const double T = p.real("T"), J = p.real("J");
    const spins::ising_exact::Thermo r = spins::ising_exact::torus(L, T, J);
    out.scalar("log_z", r.log_z);
    out.scalar("free_energy", r.free_energy);
    out.scalar("energy", r.energy);
    out.scalar("specific_heat", r.specific_heat);
    out.scalar("entropy", r.entropy);
    // Onsager's infinite lattice at the same K = J/T, for the finite-size difference.
    out.scalar("energy_infinite", J * spins::onsager::energy(T / J));
    out.scalar("specific_heat_infinite", spins::onsager::specific_heat(T / J));
  };
  k.cost = [](const Params& p) { return static_cast<double>(p.integer("L")); };
  k.results = {
      exact_result("log_z", "ln Z / N on the L x L torus (Kaufman)"),
      exact_result("free_energy", "free energy per spin -T ln Z / N", "J"),
      exact_result("energy", "mean energy per spin <E>/N", "J"),
      exact_result("entropy", "entropy per spin", "k_B"),
      exact_result("specific_heat", "specific heat per spin", "k_B"),
      exact_result("energy_infinite", "Onsager's energy per spin of the infinite lattice at the same T", "J"),
      exact_result("specific_heat_infinite", "Onsager's specific heat per spin of the infinite lattice", "k_B"),
  };
  return k;
}

}  // namespace spindiff::runner::spins_kinds
