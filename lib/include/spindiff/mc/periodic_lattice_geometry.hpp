#pragma once
// The neighbours of a site of a periodic L^dim lattice (spins::IsingLattice's site order i = x + L (y + L z) and
// neighbour order +x, -x, +y, -y, +z, -z), computed instead of read from a table: the table is 4 dim bytes per site
// and leaves the caches at large L. A site travels as one 64-bit word, its index in the low half and its x
// coordinate in the high half, so a neighbour costs an add and a compare: the y and z edges are ranges of the
// index (in 3-D after one multiply-high for the division by L^2), and x moves with the index.
#include <cstdint>
#include <stdexcept>

namespace spindiff::mc {

class PeriodicLatticeGeometry {
 public:
  // Needs L >= 3 (then a site's 2 dim neighbours are distinct) and L^dim < 2^32.
  PeriodicLatticeGeometry(int L, int dim) : L_(static_cast<std::uint32_t>(L)), dim_(dim) {
    if (L < 3 || (dim != 2 && dim != 3))
      throw std::invalid_argument("periodic lattice geometry needs L >= 3, dim 2 or 3");
    plane_ = L_ * L_;
    n_ = dim == 2 ? plane_ : plane_ * L_;
    // floor(n / L^2) = mulhi(n, floor((2^64 - 1) / L^2) + 1) exactly for every n < 2^32 (the error n e / 2^64 with
    // e <= 1 stays below 1 / L^2).
    magic_ = UINT64_MAX / plane_ + 1;
  }
  int dim() const { return dim_; }

  // The packed word of site i (a division by L: not for inner loops).
  std::uint64_t site(std::uint32_t i) const { return i | static_cast<std::uint64_t>(i % L_) << 32; }
  static std::uint32_t index(std::uint64_t site) { return static_cast<std::uint32_t>(site); }

  // Writes the 2 Dim neighbours of a packed site into j, packed (Dim must equal dim()).
  template <int Dim>
  void neighbors(std::uint64_t site, std::uint64_t* j) const {
    constexpr std::uint64_t kX = std::uint64_t{1} << 32;
    const std::uint32_t i = index(site), x = static_cast<std::uint32_t>(site >> 32), last = L_ - 1;
    // Index and x move together; no borrow crosses the halves (i >= x, and x wraps only where i does).
    j[0] = x == last ? site - last - last * kX : site + 1 + kX;
    j[1] = x == 0 ? site + last + last * kX : site - 1 - kX;
    const std::uint64_t L = L_, rows = L * last;  // a y step; the wrap of a whole plane's rows
    std::uint32_t r = i;                          // the index within its z plane
    if constexpr (Dim == 3) r = i - plane_ * div_plane(i);
    j[2] = r >= plane_ - L_ ? site - rows : site + L;
    j[3] = r < L_ ? site + rows : site - L;
    if constexpr (Dim == 3) {
      const std::uint64_t plane = plane_, planes = plane * last;
      j[4] = i >= n_ - plane_ ? site - planes : site + plane;
      j[5] = i < plane_ ? site + planes : site - plane;
    }
  }

 private:
  std::uint32_t div_plane(std::uint32_t n) const {
    __extension__ using u128 = unsigned __int128;
    return static_cast<std::uint32_t>((static_cast<u128>(n) * magic_) >> 64);
  }
  std::uint32_t L_;
  int dim_;
  std::uint32_t plane_ = 0, n_ = 0;
  std::uint64_t magic_ = 0;
};

}  // namespace spindiff::mc
