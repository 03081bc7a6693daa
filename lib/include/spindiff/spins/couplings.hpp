#pragma once
// Coupling matrices: drawn (Sherrington-Kirkpatrick) or converted from the other models,
// so every model can be enumerated exactly.
#include "spindiff/core/rng.hpp"
#include "spindiff/spins/dense.hpp"
#include "spindiff/spins/lattice.hpp"
#include "spindiff/spins/patterns.hpp"
#include "spindiff/spins/sparse.hpp"

namespace spindiff::spins {

// Sherrington-Kirkpatrick: J_ij ~ N(0, J^2/N) for i < j, symmetric, zero diagonal; uniform field h.
DenseCouplings sk_couplings(std::size_t N, double J, double h, Stream& rng);

DenseCouplings to_dense(const IsingLattice& lattice);
DenseCouplings to_dense(const SparseCouplings& sparse);
// The Hebb couplings J_ij = (1/N) sum_mu xi_i^mu xi_j^mu (hopfield::hebb_rule), zero diagonal.
DenseCouplings to_dense(const PatternCouplings& p);
inline const DenseCouplings& to_dense(const DenseCouplings& d) { return d; }

}  // namespace spindiff::spins
