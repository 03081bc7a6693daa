#pragma once
// An example spin model, written as a new model is: one header. The periodic Ising chain
// E = -J sum_i s_i s_{i+1}; it offers its bonds, so Wolff fits it as well as the single-spin moves.
#include <cstdint>
#include <span>

#include "spindiff/spins/model.hpp"

namespace spindiff::test {

class IsingRing {
 public:
  using Cache = spins::NoCache;
  IsingRing(std::size_t n, double J) : n_(n), J_(J) {}

  std::size_t size() const { return n_; }
  double energy(std::span<const spins::Spin> s) const {
    double bonds = 0;
    for (std::size_t i = 0; i < n_; ++i) bonds += s[i] * s[(i + 1) % n_];
    return -J_ * bonds;
  }
  Cache make_cache(std::span<const spins::Spin>) const { return {}; }
  double local_field(std::span<const spins::Spin> s, const Cache&, std::size_t i) const {
    return J_ * (s[(i + n_ - 1) % n_] + s[(i + 1) % n_]);
  }
  double delta_energy(std::span<const spins::Spin> s, const Cache& c, std::size_t i) const {
    return 2.0 * s[i] * local_field(s, c, i);
  }
  void flip(std::span<spins::Spin> s, Cache&, std::size_t i) const { s[i] = static_cast<spins::Spin>(-s[i]); }
  template <class F>
  void for_each_neighbor(std::size_t i, F&& f) const {
    f((i + n_ - 1) % n_, J_);
    f((i + 1) % n_, J_);
  }
  bool ferromagnetic() const { return J_ >= 0; }
  bool has_field() const { return false; }

 private:
  std::size_t n_;
  double J_;
};

}  // namespace spindiff::test
