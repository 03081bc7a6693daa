#include "spindiff/langevin/normal.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <numbers>

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace spindiff::langevin {
namespace {

constexpr int kLayers = 256;
constexpr double kTwo52 = 0x1.0p52;

// The 52 uniform bits of a draw (bits 0-7 pick the layer, bit 8 the sign) as a double in [0, 2^52), via the
// exponent trick so the conversion vectorises.
inline double mantissa_value(std::uint64_t w) {
  return std::bit_cast<double>((w >> 12) | 0x4330000000000000ull) - 0x1.0p52;
}

double f(double x) { return std::exp(-0.5 * x * x); }
double f_inverse(double y) { return std::sqrt(-2.0 * std::log(y)); }
double tail_area(double r) { return std::sqrt(std::numbers::pi / 2.0) * std::erfc(r / std::numbers::sqrt2); }

// Layer edges x[0] = r > x[1] > ... > x[255] > x[256] = 0 of equal-area strips (area v each, the base strip
// including the tail). r is found by bisection so that the top strip closes exactly at f = 1.
struct Tables {
  std::array<double, kLayers> k{};       // accept j < k[i] without evaluating f
  std::array<double, kLayers> w{};       // x = j * w[i]
  std::array<double, kLayers + 1> fx{};  // f(x[i])
  double r = 0.0;

  // Walks the strips up from the base; returns how far f at the top overshoots/undershoots 1.
  static double top_mismatch(double r) {
    const double v = r * f(r) + tail_area(r);
    double x = r;  // x[1]; the loop walks x[2] .. x[255]
    for (int i = 2; i < kLayers; ++i) {
      const double y = v / x + f(x);
      if (y >= 1.0) return 1.0;  // ran out of room: r too small
      x = f_inverse(y);
    }
    return v / x + f(x) - 1.0;  // the top strip must end at f(0) = 1
  }

  Tables() {
    double lo = 3.0, hi = 4.0;
    for (int it = 0; it < 200; ++it) {
      const double mid = 0.5 * (lo + hi);
      (top_mismatch(mid) > 0.0 ? lo : hi) = mid;
    }
    r = hi;
    const double v = r * f(r) + tail_area(r);
    std::array<double, kLayers + 1> x{};
    x[0] = v / f(r);  // the base strip is a rectangle of width v / f(r) standing in for the tail
    x[1] = r;
    for (int i = 2; i < kLayers; ++i) x[i] = f_inverse(v / x[i - 1] + f(x[i - 1]));
    x[kLayers] = 0.0;
    for (int i = 0; i < kLayers; ++i) {
      w[i] = x[i] / kTwo52;
      // A point j * w[i] below the next edge up lies under the curve for sure.
      k[i] = std::floor(x[i + 1] / x[i] * kTwo52);
    }
    fx[0] = f(r);  // only used for the wedges i >= 1
    for (int i = 1; i <= kLayers; ++i) fx[i] = f(x[i]);
    fx[kLayers] = 1.0;
  }
};

const Tables& tables() {
  static const Tables t;
  return t;
}

// The rare case: `word` fell outside its layer's inner rectangle.
double draw_slow(Stream& s, const Tables& t, std::uint64_t word) {
  for (;;) {
    const unsigned i = word & 0xFFu;
    const bool negative = (word & 0x100u) != 0;
    const double j = mantissa_value(word);
    const double x = j * t.w[i];
    if (j < t.k[i]) return negative ? -x : x;
    if (i == 0) {
      // Tail beyond r (Marsaglia 1964): exact sampling of the normal conditioned on |x| > r.
      double xx, yy;
      do {
        xx = -std::log(s.uniform_open0()) / t.r;
        yy = -std::log(s.uniform_open0());
      } while (yy + yy < xx * xx);
      return negative ? -(t.r + xx) : t.r + xx;
    }
    // Wedge between the strip's rectangle and the curve: accept under f.
    // Strip i spans heights f(x[i]) .. f(x[i+1]).
    if (t.fx[i] + s.uniform() * (t.fx[i + 1] - t.fx[i]) < f(x)) return negative ? -x : x;
    word = s.next_u64();
  }
}

}  // namespace

void fill_standard_normal(Stream& stream, std::span<double> out) {
  const Tables& t = tables();
  constexpr std::size_t kChunk = 256;
  alignas(64) std::uint64_t words[kChunk];
  std::uint64_t reject[kChunk / 64];  // bit i%64 of word i/64: draw i needs the slow path
  for (std::size_t first = 0; first < out.size(); first += kChunk) {
    const std::size_t n = std::min(kChunk, out.size() - first);
    stream.fill_u64(std::span<std::uint64_t>(words, n));
    double* o = out.data() + first;
    std::fill(std::begin(reject), std::end(reject), 0);
    std::size_t i = 0;
#if defined(__AVX2__)
    // Four draws at a time: gather the layer's width and threshold, flag the draws outside the rectangle.
    const __m256i layer_mask = _mm256_set1_epi64x(0xFF);
    const __m256i exponent = _mm256_set1_epi64x(0x4330000000000000ll);
    const __m256i sign_bit = _mm256_set1_epi64x(static_cast<long long>(0x8000000000000000ull));
    const __m256d two52 = _mm256_set1_pd(0x1.0p52);
    for (; i + 4 <= n; i += 4) {
      const __m256i w = _mm256_load_si256(reinterpret_cast<const __m256i*>(words + i));
      const __m256i layer = _mm256_and_si256(w, layer_mask);
      const __m256d j = _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(_mm256_srli_epi64(w, 12), exponent)), two52);
      const __m256d width = _mm256_i64gather_pd(t.w.data(), layer, 8);
      const __m256d limit = _mm256_i64gather_pd(t.k.data(), layer, 8);
      const __m256d sign = _mm256_castsi256_pd(_mm256_and_si256(_mm256_slli_epi64(w, 55), sign_bit));
      _mm256_storeu_pd(o + i, _mm256_xor_pd(_mm256_mul_pd(j, width), sign));
      const auto bad = static_cast<std::uint64_t>(_mm256_movemask_pd(_mm256_cmp_pd(j, limit, _CMP_GE_OQ)));
      reject[i / 64] |= bad << (i % 64);
    }
#endif
    for (; i < n; ++i) {
      const std::uint64_t w = words[i];
      const unsigned layer = w & 0xFFu;
      const double j = mantissa_value(w);
      const double x = j * t.w[layer];
      o[i] = (w & 0x100u) ? -x : x;
      reject[i / 64] |= static_cast<std::uint64_t>(j >= t.k[layer]) << (i % 64);
    }
    for (std::size_t q = 0; q < kChunk / 64; ++q)
      for (std::uint64_t bits = reject[q]; bits != 0; bits &= bits - 1) {
        const std::size_t k = 64 * q + static_cast<std::size_t>(std::countr_zero(bits));
        o[k] = draw_slow(stream, t, words[k]);
      }
  }
}

double ziggurat_tail_start() { return tables().r; }

}  // namespace spindiff::langevin
