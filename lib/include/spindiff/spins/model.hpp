#pragma once
// The one compile-time interface every spin model offers to the dynamics.
//
// Convention: E(s) = -sum_{i<j} J_ij s_i s_j - sum_i h_i s_i with s_i = +-1. The local field is
// f_i = sum_j J_ij s_j + h_i, so flipping spin i changes the energy by dE = 2 s_i f_i.
// A model is immutable during a run; anything it caches about a configuration (e.g. local fields or
// pattern overlaps) lives in its Cache, which travels with the configuration (one per replica).
#include <concepts>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace spindiff::spins {

using Spin = std::int8_t;
using Config = std::vector<Spin>;

// Cache of the models that need none.
struct NoCache {};

template <class M>
concept SpinModel = requires(const M& m, std::span<const Spin> s, std::span<Spin> ws, typename M::Cache& c,
                             const typename M::Cache& cc, std::size_t i) {
  { m.size() } -> std::convertible_to<std::size_t>;
  { m.energy(s) } -> std::convertible_to<double>;
  { m.make_cache(s) } -> std::same_as<typename M::Cache>;
  { m.local_field(s, cc, i) } -> std::convertible_to<double>;
  { m.delta_energy(s, cc, i) } -> std::convertible_to<double>;
  {m.flip(ws, c, i)};
};

// Models whose bonds can be listed (needed by cluster algorithms): f(j, J_ij) for each j != i with J_ij != 0.
template <class M>
concept HasNeighbors = requires(const M& m, std::size_t i) {
  {m.for_each_neighbor(i, [](std::size_t, double) {})};
};

// Models laid out on a bipartite lattice (checkerboard order).
template <class M>
concept HasSublattices = requires(const M& m, int c) {
  { m.sublattice(c) } -> std::convertible_to<std::span<const std::uint32_t>>;
};

inline std::int64_t total_magnetization(std::span<const Spin> s) {
  std::int64_t m = 0;
  for (Spin x : s) m += x;
  return m;
}

// A configuration with its cache and its running energy and magnetisation, kept in step by flip().
template <SpinModel M>
struct Replica {
  Config spins;
  typename M::Cache cache;
  double energy = 0.0;
  std::int64_t magnetization = 0;

  Replica(const M& model, Config s) : spins(std::move(s)), cache(model.make_cache(spins)) { resync(model); }

  // Flip spin i whose energy change dE was already computed.
  void flip(const M& model, std::size_t i, double dE) {
    magnetization -= 2 * spins[i];
    energy += dE;
    model.flip(spins, cache, i);
  }
  // The running sums are saved as they are: recomputing them would round differently.
  template <class Archive>
  void fields(Archive& ar) {
    ar(spins, cache, energy, magnetization);
  }
  // Recompute energy and cache from scratch (removes floating-point drift of the running sums).
  void resync(const M& model) {
    cache = model.make_cache(spins);
    energy = model.energy(spins);
    magnetization = total_magnetization(spins);
  }
};

}  // namespace spindiff::spins
