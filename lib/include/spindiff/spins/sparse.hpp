#pragma once
// Arbitrary couplings as a sparse, symmetric adjacency (CSR), plus per-site fields.
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "spindiff/spins/model.hpp"

namespace spindiff::spins {

struct Edge {
  std::uint32_t i = 0, j = 0;
  double J = 0.0;
};

// An undirected edge list with fields: the content of an edges file.
struct EdgeList {
  std::size_t n = 0;
  std::vector<Edge> edges;
  std::vector<double> fields;  // size n (zeros where not given)
};

// Parses the edges text format (docs/theory/monte-carlo.md, "Edge-list files"):
//   # comment                 (anything after '#' is ignored; blank lines too)
//   spins N                   (optional: number of spins; default 1 + the largest index seen)
//   i j J_ij                  (one undirected bond, 0-based indices, i != j; repeated bonds add up)
//   field i h_i               (optional field on spin i; repeated fields add up)
// Throws std::invalid_argument naming the line on malformed input. Pure: no file access.
EdgeList parse_edge_list(std::string_view text);

class SparseCouplings {
 public:
  using Cache = NoCache;

  explicit SparseCouplings(const EdgeList& list);

  std::size_t size() const { return n_; }
  bool ferromagnetic() const;
  bool has_field() const;
  const std::vector<double>& fields() const { return h_; }
  const EdgeList& edge_list() const { return list_; }

  double energy(std::span<const Spin> s) const;
  Cache make_cache(std::span<const Spin>) const { return {}; }
  double local_field(std::span<const Spin> s, const Cache&, std::size_t i) const {
    double f = h_[i];
    for (std::uint32_t k = start_[i]; k < start_[i + 1]; ++k) f += coupling_[k] * s[target_[k]];
    return f;
  }
  double delta_energy(std::span<const Spin> s, const Cache& c, std::size_t i) const {
    return 2.0 * s[i] * local_field(s, c, i);
  }
  void flip(std::span<Spin> s, Cache&, std::size_t i) const { s[i] = static_cast<Spin>(-s[i]); }
  template <class F>
  void for_each_neighbor(std::size_t i, F&& f) const {
    for (std::uint32_t k = start_[i]; k < start_[i + 1]; ++k) f(static_cast<std::size_t>(target_[k]), coupling_[k]);
  }

 private:
  std::size_t n_;
  EdgeList list_;
  std::vector<std::uint32_t> start_, target_;
  std::vector<double> coupling_, h_;
};

}  // namespace spindiff::spins
