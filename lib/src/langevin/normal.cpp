#include "spindiff/langevin/normal.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>

namespace spindiff::langevin {
namespace {

constexpr int kLayers = 256;
constexpr double kTwo53 = 0x1.0p53;

double f(double x) { return std::exp(-0.5 * x * x); }
double f_inverse(double y) { return std::sqrt(-2.0 * std::log(y)); }
double tail_area(double r) { return std::sqrt(std::numbers::pi / 2.0) * std::erfc(r / std::numbers::sqrt2); }

// Layer edges x[0] = r > x[1] > ... > x[255] > x[256] = 0 of equal-area strips (area v each, the base strip
// including the tail). r is found by bisection so that the top strip closes exactly at f = 1.
struct Tables {
  std::array<std::uint64_t, kLayers> k{};  // accept j < k[i] without evaluating f
  std::array<double, kLayers> w{};         // x = j * w[i]
  std::array<double, kLayers + 1> fx{};    // f(x[i])
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
      w[i] = x[i] / kTwo53;
      // A point j * w[i] below the next edge up lies under the curve for sure.
      k[i] = static_cast<std::uint64_t>(std::floor(x[i + 1] / x[i] * kTwo53));
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

double draw_slow(Stream& s, const Tables& t, std::uint64_t word);

inline double draw(Stream& s, const Tables& t) {
  const std::uint64_t word = s.next_u64();
  const unsigned i = word & 0xFFu;
  const std::uint64_t j = word >> 11;
  const double x = static_cast<double>(j) * t.w[i];
  if (j < t.k[i]) [[likely]]
    return (word & 0x100u) ? -x : x;
  return draw_slow(s, t, word);
}

double draw_slow(Stream& s, const Tables& t, std::uint64_t word) {
  for (;;) {
    const unsigned i = word & 0xFFu;
    const bool negative = (word & 0x100u) != 0;
    const double x = static_cast<double>(word >> 11) * t.w[i];
    if ((word >> 11) < t.k[i]) return negative ? -x : x;
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
  for (double& z : out) z = draw(stream, t);
}

double ziggurat_tail_start() { return tables().r; }

}  // namespace spindiff::langevin
