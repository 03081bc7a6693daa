#pragma once
// The multi-spin half-sweep kernels (multispin_ising2d.cpp) as the packed-spin classes call them: one lattice cut
// into strips (MultiSpinIsing2D) or independent replicas, one per bit (MultiSpinIsing2DReplicas).
#include <cstddef>
#include <cstdint>
#include <string>

#include "spindiff/core/rng.hpp"
#include "spindiff/mc/multispin_ising2d.hpp"

namespace spindiff::mc::multispin {

// What one sublattice update needs, as plain values.
struct SweepArgs {
  std::uint64_t* self;         // the sublattice updated
  const std::uint64_t* other;  // its neighbours
  int c, n, B, Ry;             // sublattice, words per row, lanes used, rows
  std::size_t S, lead;         // words per stored row, words before a row's first site
  bool replicas = false;       // lanes are independent lattices (no strip edges)
};

using Rules = MultiSpinIsing2D::Rules;
using RandomBytes = MultiSpinIsing2D::RandomBytes;

// Groups of eight words decided together (strips: rows are padded to whole blocks of them).
constexpr int kGroups = 4;

// The implementation's index in MultiSpinIsing2D::implementations(), or -1; whether this CPU runs it.
int implementation_index(const std::string& name);
bool implementation_available(int index);

std::uint64_t half_sweep(int implementation, const SweepArgs& args, const Rules& rules, RandomBytes& bytes, Stream& rng,
                         std::uint64_t& drawn);

}  // namespace spindiff::mc::multispin
