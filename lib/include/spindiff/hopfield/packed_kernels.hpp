#pragma once
// Inner loops of the Hebb pattern form on bit-packed rows (hopfield/packed_rows.hpp), one struct per
// instruction set with the same static functions, so the state is a template on it (no indirect call per
// update). For a row of bits b_μ (ξ = 2b − 1) and integer overlaps m (int16 when N < 32768, else int32):
//   sum_set(bits, m, n)     = Σ_{μ<n, b_μ=1} m_μ
//   add_set(bits, m, d, n):   m_μ += d where b_μ = 1
// Both run over whole 64-bit words: bits must be zero from n to the end of the word (PackedRows pads
// with zeros), and m must have room there.
// with_best_isa picks the widest set this CPU runs, once; all give identical integers.
#include <cstddef>
#include <cstdint>
#include <utility>

namespace spindiff::hopfield::packed {

struct Portable {
  static constexpr const char* name = "portable";
  static bool available() { return true; }
  static std::int32_t sum_set(const std::uint64_t* bits, const std::int16_t* m, std::size_t n);
  static std::int32_t sum_set(const std::uint64_t* bits, const std::int32_t* m, std::size_t n);
  static void add_set(const std::uint64_t* bits, std::int16_t* m, std::int16_t d, std::size_t n);
  static void add_set(const std::uint64_t* bits, std::int32_t* m, std::int32_t d, std::size_t n);
};

// AVX2: bytes of the row are spread over int16/int32 lanes with a shuffle and compared into lane masks.
struct Avx2 {
  static constexpr const char* name = "avx2";
  static bool available();
  static std::int32_t sum_set(const std::uint64_t* bits, const std::int16_t* m, std::size_t n);
  static std::int32_t sum_set(const std::uint64_t* bits, const std::int32_t* m, std::size_t n);
  static void add_set(const std::uint64_t* bits, std::int16_t* m, std::int16_t d, std::size_t n);
  static void add_set(const std::uint64_t* bits, std::int32_t* m, std::int32_t d, std::size_t n);
};

// AVX-512 (F, BW, VL, VNNI: Ice Lake and later): each 32 (int16) or 16 (int32) bits of the row are a mask register for
// a masked load or blend.
struct Avx512 {
  static constexpr const char* name = "avx512";
  static bool available();
  static std::int32_t sum_set(const std::uint64_t* bits, const std::int16_t* m, std::size_t n);
  static std::int32_t sum_set(const std::uint64_t* bits, const std::int32_t* m, std::size_t n);
  static void add_set(const std::uint64_t* bits, std::int16_t* m, std::int16_t d, std::size_t n);
  static void add_set(const std::uint64_t* bits, std::int32_t* m, std::int32_t d, std::size_t n);
};

// Calls f(Isa{}) with the widest instruction set this CPU has.
template <class F>
decltype(auto) with_best_isa(F&& f) {
  if (Avx512::available()) return std::forward<F>(f)(Avx512{});
  if (Avx2::available()) return std::forward<F>(f)(Avx2{});
  return std::forward<F>(f)(Portable{});
}

const char* best_isa_name();

}  // namespace spindiff::hopfield::packed
