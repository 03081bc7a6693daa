#pragma once
// Ising model on the square (dim = 2) or simple-cubic (dim = 3) lattice with uniform coupling J and field h:
// E = -J sum_<ij> s_i s_j - h sum_i s_i. Site index i = x + L (y + L z).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "spindiff/spins/model.hpp"

namespace spindiff::spins {

enum class Boundary { periodic, open };
Boundary parse_boundary(const std::string& name);

class IsingLattice {
 public:
  using Cache = NoCache;
  static constexpr std::uint32_t none = 0xFFFFFFFFu;  // missing neighbour (open boundary)

  IsingLattice(int L, int dim, double J = 1.0, double h = 0.0, Boundary boundary = Boundary::periodic);

  std::size_t size() const { return n_; }
  int L() const { return L_; }
  int dim() const { return dim_; }
  int coordination() const { return 2 * dim_; }
  double J() const { return J_; }
  double h() const { return h_; }
  Boundary boundary() const { return boundary_; }
  bool ferromagnetic() const { return J_ >= 0.0; }
  bool has_field() const { return h_ != 0.0; }
  // Bipartite: open boundaries, or periodic with even L (L = 2 has double bonds and is bipartite too).
  bool bipartite() const { return boundary_ == Boundary::open || L_ % 2 == 0; }

  // Neighbour k (0 .. 2 dim - 1) of site i, or `none`.
  std::uint32_t neighbor(std::size_t i, int k) const { return nbr_[i * coordination() + k]; }
  std::span<const std::uint32_t> sublattice(int c) const { return sub_[c]; }

  double energy(std::span<const Spin> s) const;
  Cache make_cache(std::span<const Spin>) const { return {}; }
  double neighbor_sum(std::span<const Spin> s, std::size_t i) const {
    int sum = 0;
    const std::uint32_t* nb = &nbr_[i * coordination()];
    if (boundary_ == Boundary::periodic) {
      for (int k = 0; k < 2 * dim_; ++k) sum += s[nb[k]];
    } else {
      for (int k = 0; k < 2 * dim_; ++k)
        if (nb[k] != none) sum += s[nb[k]];
    }
    return sum;
  }
  double local_field(std::span<const Spin> s, const Cache&, std::size_t i) const {
    return J_ * neighbor_sum(s, i) + h_;
  }
  double delta_energy(std::span<const Spin> s, const Cache& c, std::size_t i) const {
    return 2.0 * s[i] * local_field(s, c, i);
  }
  void flip(std::span<Spin> s, Cache&, std::size_t i) const { s[i] = static_cast<Spin>(-s[i]); }

  template <class F>
  void for_each_neighbor(std::size_t i, F&& f) const {
    const std::uint32_t* nb = &nbr_[i * coordination()];
    for (int k = 0; k < 2 * dim_; ++k)
      if (nb[k] != none) f(static_cast<std::size_t>(nb[k]), J_);
  }

 private:
  int L_, dim_;
  double J_, h_;
  Boundary boundary_;
  std::size_t n_;
  std::vector<std::uint32_t> nbr_;
  std::vector<std::uint32_t> sub_[2];
};

}  // namespace spindiff::spins
