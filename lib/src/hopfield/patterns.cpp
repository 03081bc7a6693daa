#include "spindiff/hopfield/patterns.hpp"

#include <stdexcept>

namespace spindiff::hopfield {

std::vector<std::int8_t> Patterns::pattern(std::size_t mu) const {
  std::vector<std::int8_t> p(N);
  for (std::size_t i = 0; i < N; ++i) p[i] = xi[i * P + mu];
  return p;
}

Patterns random_patterns(std::size_t N, std::size_t P, double bias, Stream& rng) {
  if (bias < -1.0 || bias > 1.0) throw std::invalid_argument("random_patterns: bias must lie in [-1, 1]");
  Patterns p{N, P, std::vector<std::int8_t>(N * P)};
  if (bias == 0.0) {
    // Unbiased: one 32-bit draw gives 32 spins (N = 100,000 with P = 10,000 is 10^9 entries).
    std::uint32_t bits = 0;
    unsigned left = 0;
    for (auto& x : p.xi) {
      if (left == 0) {
        bits = rng();
        left = 32;
      }
      x = (bits & 1U) ? std::int8_t{1} : std::int8_t{-1};
      bits >>= 1;
      --left;
    }
  } else {
    const double p_plus = 0.5 * (1.0 + bias);
    for (auto& x : p.xi) x = rng.uniform() < p_plus ? std::int8_t{1} : std::int8_t{-1};
  }
  return p;
}

Patterns patterns_from(std::span<const std::vector<std::int8_t>> vectors) {
  Patterns p;
  p.P = vectors.size();
  p.N = vectors.empty() ? 0 : vectors.front().size();
  p.xi.resize(p.N * p.P);
  for (std::size_t mu = 0; mu < p.P; ++mu) {
    if (vectors[mu].size() != p.N) throw std::invalid_argument("patterns_from: vectors of different lengths");
    for (std::size_t i = 0; i < p.N; ++i) {
      const std::int8_t v = vectors[mu][i];
      if (v != 1 && v != -1) throw std::invalid_argument("patterns_from: entries must be +1 or -1");
      p.xi[i * p.P + mu] = v;
    }
  }
  return p;
}

void overlaps(const Patterns& patterns, std::span<const std::int8_t> s, std::span<double> out) {
  if (s.size() != patterns.N || out.size() != patterns.P) throw std::invalid_argument("overlaps: size mismatch");
  // Integer sums first: the same value the pattern form keeps, so both paths report identical overlaps.
  std::vector<std::int64_t> sum(patterns.P, 0);
  for (std::size_t i = 0; i < patterns.N; ++i) {
    const std::int8_t* row = patterns.site(i);
    const std::int64_t si = s[i];
    for (std::size_t mu = 0; mu < patterns.P; ++mu) sum[mu] += si * row[mu];
  }
  const double inv_n = 1.0 / static_cast<double>(patterns.N);
  for (std::size_t mu = 0; mu < patterns.P; ++mu) out[mu] = static_cast<double>(sum[mu]) * inv_n;
}

std::vector<double> overlaps(const Patterns& patterns, std::span<const std::int8_t> s) {
  std::vector<double> m(patterns.P);
  overlaps(patterns, s, m);
  return m;
}

}  // namespace spindiff::hopfield
