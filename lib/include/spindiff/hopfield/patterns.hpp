#pragma once
// Stored ±1 patterns, site-major: xi[i * P + mu]. The pattern-form field at site i is then a
// contiguous dot product of row i with the overlap vector.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "spindiff/core/rng.hpp"

namespace spindiff::hopfield {

struct Patterns {
  std::size_t N = 0;            // sites
  std::size_t P = 0;            // patterns
  std::vector<std::int8_t> xi;  // N * P entries, xi[i * P + mu] = ξ_i^μ ∈ {−1, +1}

  std::int8_t operator()(std::size_t i, std::size_t mu) const { return xi[i * P + mu]; }
  const std::int8_t* site(std::size_t i) const { return xi.data() + i * P; }
  std::vector<std::int8_t> pattern(std::size_t mu) const;  // ξ^μ as a length-N vector
  double load() const { return N ? static_cast<double>(P) / static_cast<double>(N) : 0.0; }
};

// Independent random patterns with P(ξ = +1) = (1 + bias) / 2, bias in [−1, 1].
Patterns random_patterns(std::size_t N, std::size_t P, double bias, Stream& rng);

// Patterns from P vectors of equal length N (e.g. letter bitmaps).
Patterns patterns_from(std::span<const std::vector<std::int8_t>> vectors);

// Overlaps m_μ = ξ^μ · s / N, written to out (size P).
void overlaps(const Patterns& patterns, std::span<const std::int8_t> s, std::span<double> out);
std::vector<double> overlaps(const Patterns& patterns, std::span<const std::int8_t> s);

}  // namespace spindiff::hopfield
