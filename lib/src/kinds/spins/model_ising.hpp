#pragma once
// model = ising: nearest-neighbour Ising model on an L^dim square or simple-cubic lattice.
#include <fmt/format.h>

#include <cmath>

#include "../size_limits.hpp"
#include "model_table.hpp"
#include "thermo_replicas.hpp"

namespace spindiff::runner::spins_kinds {

struct IsingModel {
  using Model = spins::IsingLattice;
  static constexpr const char* name = "ising";
  static constexpr const char* size_param = "L";

  static std::vector<ParamSpec> params() {
    return {
        summary(integer_param("L", 4, 2, 4096, "lattice side (model = ising)")),
        integer_param("dim", 2, 2, 3, "lattice dimension, 2 (square) or 3 (simple cubic) (model = ising)"),
        real_param("J", 1.0, std::nullopt, std::nullopt, "coupling: lattice J, or SK scale J (J_ij ~ N(0, J^2/N))"),
        real_param("h", 0.0, std::nullopt, std::nullopt, "uniform field (ising, sk)"),
        choice_param("boundary", "periodic", {"periodic", "open"}, "lattice boundary (model = ising)"),
    };
  }
  static mc::ModelFacts facts(const Params& p) {
    const bool periodic = p.string("boundary") == "periodic", even = p.integer("L") % 2 == 0;
    mc::ModelFacts f;
    f.lattice = true;
    f.bipartite = !periodic || even;
    f.square_periodic = p.integer("dim") == 2 && periodic && even;
    f.bonds = true;
    f.field = p.real("h") != 0.0;
    f.ferromagnetic = p.real("J") >= 0.0;
    return f;
  }
  static std::optional<double> spin_count(const Params& p) {
    return std::pow(static_cast<double>(p.integer("L")), p.integer("dim"));
  }
  static void check_size(const Params& p) {
    const double n = *spin_count(p), dim = static_cast<double>(p.integer("dim"));
    check_size_limit("L", "the number of lattice sites L^dim", n, 4294967294.0);  // 32-bit neighbour indices
    check_memory("L", fmt::format("a lattice of {:.4g} sites", n), n * (8.0 * dim + 9.0));
    if (replica_kernel(p))
      check_memory(
          "sweeps",
          fmt::format("the energy and magnetisation series of 64 replicas over {} sweeps", p.integer("sweeps")),
          replica_series_bytes(p));
  }
  static Built<Model> build(const Params& p, const TaskContext&, std::uint32_t, TaskOutput*) {
    return {spins::IsingLattice(static_cast<int>(p.integer("L")), static_cast<int>(p.integer("dim")), p.real("J"),
                                p.real("h"), spins::parse_boundary(p.string("boundary"))),
            std::nullopt};
  }
};

}  // namespace spindiff::runner::spins_kinds
