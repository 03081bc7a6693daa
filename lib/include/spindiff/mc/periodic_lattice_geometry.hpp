#pragma once
// The neighbours of a site of a periodic L^dim lattice (spins::IsingLattice's site order i = x + L (y + L z) and
// neighbour order +x, -x, +y, -y, +z, -z), computed from the site's coordinates instead of read from a table: the
// table is 4 dim bytes per site and leaves the caches at large L, the coordinates cost a multiply-high each.
#include <cstdint>
#include <stdexcept>

namespace spindiff::mc {

class PeriodicLatticeGeometry {
 public:
  // Needs L >= 3 (then a site's 2 dim neighbours are distinct) and L^dim < 2^32.
  PeriodicLatticeGeometry(int L, int dim) : L_(static_cast<std::uint32_t>(L)), dim_(dim) {
    if (L < 3 || (dim != 2 && dim != 3))
      throw std::invalid_argument("periodic lattice geometry needs L >= 3, dim 2 or 3");
    // floor(n / L) = mulhi(n, floor((2^64 - 1) / L) + 1) exactly for every n < 2^32 (the error n e / 2^64 with
    // e <= 1 stays below 1 / L).
    magic_ = UINT64_MAX / L_ + 1;
  }
  int dim() const { return dim_; }

  // Writes the 2 Dim neighbours of site i into j (Dim must equal dim()).
  template <int Dim>
  void neighbors(std::uint32_t i, std::uint32_t* j) const {
    const std::uint32_t L = L_, last = L - 1;
    const std::uint32_t q1 = div_L(i), x = i - q1 * L;
    j[0] = x == last ? i - last : i + 1;
    j[1] = x == 0 ? i + last : i - 1;
    if constexpr (Dim == 2) {
      const std::uint32_t y = q1, wrap = last * L;
      j[2] = y == last ? i - wrap : i + L;
      j[3] = y == 0 ? i + wrap : i - L;
    } else {
      const std::uint32_t q2 = div_L(q1), y = q1 - q2 * L, z = q2, plane = L * L;
      j[2] = y == last ? i - last * L : i + L;
      j[3] = y == 0 ? i + last * L : i - L;
      j[4] = z == last ? i - last * plane : i + plane;
      j[5] = z == 0 ? i + last * plane : i - plane;
    }
  }

 private:
  std::uint32_t div_L(std::uint32_t n) const {
    __extension__ using u128 = unsigned __int128;
    return static_cast<std::uint32_t>((static_cast<u128>(n) * magic_) >> 64);
  }
  std::uint32_t L_;
  int dim_;
  std::uint64_t magic_ = 0;
};

}  // namespace spindiff::mc
