#include "spindiff/hopfield/packed_rows.hpp"

namespace spindiff::hopfield {

PackedRows::PackedRows(const Patterns& patterns)
    : N(patterns.N),
      P(patterns.P),
      words((patterns.P + kRowAlignBits - 1) / kRowAlignBits * (kRowAlignBits / 64)),
      bits(N * words, 0),
      row_sum(N, 0) {
  for (std::size_t i = 0; i < N; ++i) {
    const std::int8_t* x = patterns.site(i);
    std::uint64_t* r = bits.data() + i * words;
    std::int32_t sum = 0;
    for (std::size_t mu = 0; mu < P; ++mu) {
      if (x[mu] > 0) r[mu / 64] |= std::uint64_t{1} << (mu % 64);
      sum += x[mu];
    }
    row_sum[i] = sum;
  }
}

}  // namespace spindiff::hopfield
