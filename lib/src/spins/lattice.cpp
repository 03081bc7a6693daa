#include "spindiff/spins/lattice.hpp"

#include <stdexcept>

namespace spindiff::spins {

Boundary parse_boundary(const std::string& name) {
  if (name == "periodic") return Boundary::periodic;
  if (name == "open") return Boundary::open;
  throw std::invalid_argument("boundary must be 'periodic' or 'open', got '" + name + "'");
}

IsingLattice::IsingLattice(int L, int dim, double J, double h, Boundary boundary)
    : L_(L), dim_(dim), J_(J), h_(h), boundary_(boundary) {
  if (dim != 2 && dim != 3) throw std::invalid_argument("IsingLattice: dim must be 2 or 3");
  if (L < 2) throw std::invalid_argument("IsingLattice: L must be at least 2");
  n_ = 1;
  for (int d = 0; d < dim; ++d) n_ *= static_cast<std::size_t>(L);
  if (n_ >= none) throw std::invalid_argument("IsingLattice: too many sites");
  nbr_.assign(n_ * coordination(), none);
  for (std::size_t i = 0; i < n_; ++i) {
    int x[3] = {0, 0, 0};
    std::size_t rest = i;
    for (int d = 0; d < dim; ++d) {
      x[d] = static_cast<int>(rest % L);
      rest /= L;
    }
    std::size_t stride = 1;
    for (int d = 0; d < dim; ++d) {
      for (int dir = 0; dir < 2; ++dir) {
        const int step = dir == 0 ? 1 : -1;
        int y = x[d] + step;
        bool exists = true;
        if (y < 0 || y >= L) {
          if (boundary == Boundary::periodic)
            y = (y + L) % L;
          else
            exists = false;
        }
        if (exists) nbr_[i * coordination() + 2 * d + dir] = static_cast<std::uint32_t>(i + (y - x[d]) * stride);
      }
      stride *= L;
    }
    int parity = 0;
    for (int d = 0; d < dim; ++d) parity += x[d];
    sub_[parity % 2].push_back(static_cast<std::uint32_t>(i));
  }
}

double IsingLattice::energy(std::span<const Spin> s) const {
  // Each bond once: only the "+" neighbour in every direction.
  long bonds = 0, mag = 0;
  for (std::size_t i = 0; i < n_; ++i) {
    mag += s[i];
    for (int d = 0; d < dim_; ++d) {
      const std::uint32_t j = nbr_[i * coordination() + 2 * d];
      if (j != none) bonds += s[i] * s[j];
    }
  }
  return -J_ * static_cast<double>(bonds) - h_ * static_cast<double>(mag);
}

}  // namespace spindiff::spins
