#pragma once
// Capital letters A–Z rendered as ±1 bitmaps from a shipped stroke description, with handwriting-like
// distortions. +1 = ink, −1 = background; row-major R × R.
#include <cstdint>
#include <string_view>
#include <vector>

#include "spindiff/core/rng.hpp"

namespace spindiff::hopfield::letters {

struct Point {
  double x, y;  // unit glyph box, x to the right, y downwards
};
using Polyline = std::vector<Point>;

// Stroke description of one capital letter 'A'..'Z' (throws otherwise), arcs already expanded.
const std::vector<Polyline>& glyph(char letter);
// The shipped description itself (a tiny path language, see glyphs.cpp).
std::string_view glyph_source(char letter);

struct Distortion {
  double shift = 0.0;          // max shift in pixels, uniform in [−shift, shift] on each axis
  double thickness = 0.0;      // relative stroke-width jitter: width × (1 + thickness · U(−1, 1))
  double rotation = 0.0;       // max rotation, radians
  double shear = 0.0;          // max horizontal shear (x += shear · y)
  double shear_offset = 0.0;   // fixed shear added to the random one (italic writing)
  double scale = 0.0;          // max relative size change
  double noise = 0.0;          // fraction of pixels flipped after drawing (exactly round(noise · R²))
  double stroke_width = 0.12;  // undistorted stroke width, as a fraction of R
};

// The letter drawn at R × R pixels (R ≥ 16): ink where the distance to a stroke is at most half the
// width. Every random choice comes from rng, in a fixed order.
std::vector<std::int8_t> render(char letter, int R, const Distortion& distortion, Stream& rng);
// Undistorted rendering (the stored pattern).
std::vector<std::int8_t> render(char letter, int R, double stroke_width = Distortion{}.stroke_width);

}  // namespace spindiff::hopfield::letters
