#pragma once
// Where the pattern-form state keeps its offset-stored overlaps M'_μ (hopfield/states.hpp), and the two loops
// that read and write them. Every store has the same interface, so the state is a template on it:
//   kMaxMagnitude            the largest |M'| the store holds
//   Isa                      the packed:: kernel set used for the int32 sums of a reset
//   available(), name()
//   Store(words, P)          for rows of `words` 64-bit words (PackedRows::words) and P patterns
//   assign(values)           M'_μ = values[μ] for μ < P
//   value(μ), add_all(c)     read one M'_μ; M' += c on every lane (the fold)
//   sum_set(bits)            Σ_{μ: b_μ = 1} M'_μ for one packed row
//   add_set(bits, delta)     M'_μ += delta where b_μ = 1; delta = ±4 (a flip's step)
//   differing_bits(a, b, w)  popcount(a xor b) over two rows (the sweep's correction for a flip)
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>

#include "spindiff/core/aligned_allocator.hpp"
#include "spindiff/hopfield/packed_kernels.hpp"
#include "spindiff/hopfield/packed_rows.hpp"

namespace spindiff::hopfield {

// One int16 or int32 lane per pattern, in pattern order; the loops are those of one packed:: kernel set.
template <class Overlap, class Kernels>
class LaneStore {
 public:
  using Isa = Kernels;
  static constexpr std::int32_t kMaxMagnitude = std::numeric_limits<Overlap>::max();

  static bool available() { return Kernels::available(); }
  static std::string name() { return std::string(Kernels::name) + (sizeof(Overlap) == 2 ? "-int16" : "-int32"); }

  LaneStore(std::size_t words, std::size_t P) : m_(64 * words, 0), P_(P) {}

  void assign(std::span<const std::int32_t> values) {
    for (std::size_t mu = 0; mu < P_; ++mu) m_[mu] = static_cast<Overlap>(values[mu]);
  }
  std::int32_t value(std::size_t mu) const { return m_[mu]; }
  void add_all(std::int32_t c) {
    for (std::size_t mu = 0; mu < P_; ++mu) m_[mu] = static_cast<Overlap>(m_[mu] + c);
  }
  std::int32_t sum_set(const std::uint64_t* bits) const { return Kernels::sum_set(bits, m_.data(), P_); }
  void add_set(const std::uint64_t* bits, std::int32_t delta) {
    Kernels::add_set(bits, m_.data(), static_cast<Overlap>(delta), P_);
  }
  static std::int32_t differing_bits(const std::uint64_t* a, const std::uint64_t* b, std::size_t words) {
    return hopfield::differing_bits(a, b, words);
  }

 private:
  AlignedVector<Overlap> m_;  // padded with zeros to the row length
  std::size_t P_;
};

// Two signed byte planes, M' = 128 hi + lo, for CPUs with AVX-512 (F, BW, VNNI, VPOPCNTDQ) and GFNI. Per 64 patterns a
// row word becomes 64 bytes of 0/1 (or 0/4) in one vgf2p8affineqb, with no mask registers, and vpdpbusd sums
// 64 set lanes of a plane at once: about half the instructions of the int16 masked loads, whose 32-bit masks
// cost a load each. The affine transform puts bit q of byte t of the word into byte 8q + t, so within each
// 64-pattern block pattern 8t + q is stored at byte 8q + t (lo plane, then the hi plane 64 bytes on).
// A flip changes only lo (by ±4, no carries); lo starts in [−64, 63] after a renormalisation (which moves
// whole 128s into hi), so 16 flips fit in a signed byte before the next one. Only for |M'| ≤ 16319.
class PlaneStore {
 public:
  using Isa = packed::Avx512;
  static constexpr std::int32_t kMaxMagnitude = 128 * 127 + 63;

  static bool available();
  static std::string name() { return "avx512-gfni-byte-planes"; }

  PlaneStore(std::size_t words, std::size_t P);

  void assign(std::span<const std::int32_t> values);
  std::int32_t value(std::size_t mu) const {
    const std::size_t at = position(mu);
    return 128 * bytes_[at + 64] + bytes_[at];
  }
  void add_all(std::int32_t c);
  std::int32_t sum_set(const std::uint64_t* bits) const;
  void add_set(const std::uint64_t* bits, std::int32_t delta);
  // hopfield::differing_bits with vpopcntq.
  static std::int32_t differing_bits(const std::uint64_t* a, const std::uint64_t* b, std::size_t words);

 private:
  static std::size_t position(std::size_t mu) {
    const std::size_t r = mu % 64;
    return 128 * (mu / 64) + 8 * (r % 8) + r / 8;
  }
  // Renormalises first when one more ±4 step could carry lo out of its signed byte.
  void make_room_for_a_step();
  void renormalise();

  std::size_t words_, P_;
  AlignedVector<std::int8_t> bytes_;  // per 64 patterns: 64 bytes lo, 64 bytes hi
  std::int32_t drift_ = 0;            // Σ |delta| since the last renormalisation (lo moved at most this far)
};

}  // namespace spindiff::hopfield
