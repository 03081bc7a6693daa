// The glyph description shipped with spindiff: one path per capital letter in a unit box (x right,
// y down). Commands: "M x y" starts a stroke, "L x y" draws a line to a point, "A cx cy rx ry a0 a1"
// draws an elliptical arc from angle a0 to a1 (degrees; 0 = right, 90 = down), joined to the current
// point if a stroke is open.
#include <array>
#include <cmath>
#include <numbers>
#include <sstream>
#include <stdexcept>
#include <string>

#include "spindiff/hopfield/letters.hpp"

namespace spindiff::hopfield::letters {

namespace {

constexpr std::array<std::string_view, 26> kGlyphs = {
    /*A*/ "M 0 1 L 0.5 0 L 1 1 M 0.22 0.6 L 0.78 0.6",
    /*B*/
    "M 0 0 L 0 1 M 0 0 L 0.55 0 A 0.55 0.25 0.38 0.25 -90 90 L 0 0.5 M 0.55 0.5 A 0.6 0.75 0.4 0.25 -90 90 "
    "L 0 1",
    /*C*/ "M 0.95 0.2 A 0.55 0.5 0.55 0.5 -40 -320",
    /*D*/ "M 0 0 L 0 1 M 0 0 L 0.4 0 A 0.4 0.5 0.6 0.5 -90 90 L 0 1",
    /*E*/ "M 1 0 L 0 0 L 0 1 L 1 1 M 0 0.5 L 0.8 0.5",
    /*F*/ "M 1 0 L 0 0 L 0 1 M 0 0.5 L 0.8 0.5",
    /*G*/ "M 0.97 0.2 A 0.52 0.5 0.5 0.5 -40 -340 L 0.99 0.5 L 0.6 0.5",
    /*H*/ "M 0 0 L 0 1 M 1 0 L 1 1 M 0 0.5 L 1 0.5",
    /*I*/ "M 0.5 0 L 0.5 1 M 0.2 0 L 0.8 0 M 0.2 1 L 0.8 1",
    /*J*/ "M 0.3 0 L 0.9 0 M 0.7 0 L 0.7 0.68 A 0.4 0.68 0.3 0.32 0 180",
    /*K*/ "M 0 0 L 0 1 M 1 0 L 0 0.62 M 0.32 0.42 L 1 1",
    /*L*/ "M 0 0 L 0 1 L 1 1",
    /*M*/ "M 0 1 L 0 0 L 0.5 0.62 L 1 0 L 1 1",
    /*N*/ "M 0 1 L 0 0 L 1 1 L 1 0",
    /*O*/ "M 1 0.5 A 0.5 0.5 0.5 0.5 0 360",
    /*P*/ "M 0 1 L 0 0 L 0.55 0 A 0.55 0.27 0.42 0.27 -90 90 L 0 0.54",
    /*Q*/ "M 1 0.5 A 0.5 0.5 0.5 0.5 0 360 M 0.58 0.68 L 1 1.04",
    /*R*/ "M 0 1 L 0 0 L 0.55 0 A 0.55 0.27 0.42 0.27 -90 90 L 0 0.54 M 0.45 0.54 L 1 1",
    /*S*/ "M 0.95 0.15 A 0.5 0.26 0.47 0.26 -30 -270 A 0.5 0.74 0.47 0.26 -90 150",
    /*T*/ "M 0 0 L 1 0 M 0.5 0 L 0.5 1",
    /*U*/ "M 0 0 L 0 0.6 A 0.5 0.6 0.5 0.4 180 0 L 1 0",
    /*V*/ "M 0 0 L 0.5 1 L 1 0",
    /*W*/ "M 0 0 L 0.25 1 L 0.5 0.35 L 0.75 1 L 1 0",
    /*X*/ "M 0 0 L 1 1 M 1 0 L 0 1",
    /*Y*/ "M 0 0 L 0.5 0.5 L 1 0 M 0.5 0.5 L 0.5 1",
    /*Z*/ "M 0 0 L 1 0 L 0 1 L 1 1",
};

std::vector<Polyline> parse(std::string_view source) {
  std::istringstream in{std::string(source)};
  std::vector<Polyline> strokes;
  std::string cmd;
  while (in >> cmd) {
    if (cmd == "M") {
      Point p{};
      in >> p.x >> p.y;
      strokes.push_back({p});
    } else if (cmd == "L") {
      Point p{};
      in >> p.x >> p.y;
      if (strokes.empty()) throw std::logic_error("glyph: L before M");
      strokes.back().push_back(p);
    } else if (cmd == "A") {
      double cx, cy, rx, ry, a0, a1;
      in >> cx >> cy >> rx >> ry >> a0 >> a1;
      if (strokes.empty()) strokes.emplace_back();
      // About one point every 10 degrees: smooth at any R we render.
      const int steps = std::max(4, static_cast<int>(std::ceil(std::abs(a1 - a0) / 10.0)));
      for (int k = 0; k <= steps; ++k) {
        const double a = (a0 + (a1 - a0) * k / steps) * std::numbers::pi / 180.0;
        strokes.back().push_back({cx + rx * std::cos(a), cy + ry * std::sin(a)});
      }
    } else {
      throw std::logic_error("glyph: unknown command " + cmd);
    }
    if (!in && !in.eof()) throw std::logic_error("glyph: malformed path");
  }
  return strokes;
}

std::size_t index(char letter) {
  if (letter < 'A' || letter > 'Z') throw std::invalid_argument(std::string("no glyph for '") + letter + "'");
  return static_cast<std::size_t>(letter - 'A');
}

}  // namespace

std::string_view glyph_source(char letter) { return kGlyphs[index(letter)]; }

const std::vector<Polyline>& glyph(char letter) {
  static const std::array<std::vector<Polyline>, 26> parsed = [] {
    std::array<std::vector<Polyline>, 26> g;
    for (std::size_t k = 0; k < 26; ++k) g[k] = parse(kGlyphs[k]);
    return g;
  }();
  return parsed[index(letter)];
}

}  // namespace spindiff::hopfield::letters
