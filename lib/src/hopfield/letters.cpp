#include "spindiff/hopfield/letters.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace spindiff::hopfield::letters {

namespace {

// The glyph box covers this fraction of the image (letters are taller than wide), centred.
constexpr double kGlyphWidth = 0.6;
constexpr double kGlyphHeight = 0.72;

struct Affine {
  double a = 1, b = 0, c = 0, d = 1;  // linear part, about the image centre
  double tx = 0, ty = 0;              // shift in pixels
};

double segment_distance2(Point p, Point a, Point b) {
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0.0;
  t = std::clamp(t, 0.0, 1.0);
  const double ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
  return ex * ex + ey * ey;
}

std::vector<std::int8_t> draw(char letter, int R, const Affine& T, double width_pixels) {
  if (R < 16) throw std::invalid_argument("letters::render: resolution must be at least 16");
  const double half = 0.5 * R;
  // Strokes in pixel coordinates.
  std::vector<Polyline> strokes = glyph(letter);
  for (Polyline& line : strokes)
    for (Point& p : line) {
      const double u = (p.x - 0.5) * kGlyphWidth * R, v = (p.y - 0.5) * kGlyphHeight * R;
      p = {half + T.tx + T.a * u + T.b * v, half + T.ty + T.c * u + T.d * v};
    }
  const double r2 = 0.25 * width_pixels * width_pixels;
  std::vector<std::int8_t> image(static_cast<std::size_t>(R) * R, -1);
  for (int row = 0; row < R; ++row)
    for (int col = 0; col < R; ++col) {
      const Point c{col + 0.5, row + 0.5};
      bool ink = false;
      for (const Polyline& line : strokes) {
        if (line.size() == 1) ink = ink || segment_distance2(c, line[0], line[0]) <= r2;
        for (std::size_t k = 1; k < line.size() && !ink; ++k) ink = segment_distance2(c, line[k - 1], line[k]) <= r2;
        if (ink) break;
      }
      if (ink) image[static_cast<std::size_t>(row) * R + col] = 1;
    }
  return image;
}

}  // namespace

std::vector<std::int8_t> render(char letter, int R, double stroke_width) {
  return draw(letter, R, Affine{}, stroke_width * R);
}

std::vector<std::int8_t> render(char letter, int R, const Distortion& d, Stream& rng) {
  // Fixed draw order, whatever amplitudes are zero: the stream use does not depend on the parameters.
  const double sx = d.shift * rng.uniform(-1.0, 1.0);
  const double sy = d.shift * rng.uniform(-1.0, 1.0);
  const double width = d.stroke_width * R * std::max(0.0, 1.0 + d.thickness * rng.uniform(-1.0, 1.0));
  const double angle = d.rotation * rng.uniform(-1.0, 1.0);
  const double shear = d.shear_offset + d.shear * rng.uniform(-1.0, 1.0);
  const double scale = 1.0 + d.scale * rng.uniform(-1.0, 1.0);
  // scale · rotation · shear, where shear maps (u, v) to (u + shear·v, v).
  const double cs = std::cos(angle) * scale, sn = std::sin(angle) * scale;
  const Affine T{cs, cs * shear - sn, sn, sn * shear + cs, sx, sy};
  std::vector<std::int8_t> image = draw(letter, R, T, width);

  if (d.noise < 0.0 || d.noise > 1.0) throw std::invalid_argument("letters::render: noise must lie in [0, 1]");
  const auto n = static_cast<std::uint32_t>(image.size());
  const auto flips = static_cast<std::uint32_t>(std::lround(d.noise * n));
  std::vector<std::uint32_t> idx(n);
  std::iota(idx.begin(), idx.end(), 0U);
  for (std::uint32_t k = 0; k < flips; ++k) {  // partial Fisher–Yates: `flips` distinct pixels
    std::swap(idx[k], idx[k + rng.below(n - k)]);
    image[idx[k]] = static_cast<std::int8_t>(-image[idx[k]]);
  }
  return image;
}

}  // namespace spindiff::hopfield::letters
