#include <catch2/catch.hpp>

#include "spindiff/diffusion/datasets.hpp"

using namespace spindiff::diffusion;
using spindiff::Purpose;
using spindiff::Stream;
namespace letters = spindiff::hopfield::letters;

namespace {
// Covariance of the ink pixels' column and row (rows grow downwards): positive for right-leaning (italic) ink.
double ink_shear_moment(const Points& x, Eigen::Index i, int r) {
  double n = 0, sx = 0, sy = 0, sxy = 0;
  for (int py = 0; py < r; ++py)
    for (int px = 0; px < r; ++px)
      if (x(i, py * r + px) > 0) n += 1, sx += px, sy += py, sxy += double(px) * py;
  return sxy / n - (sx / n) * (sy / n);
}
}  // namespace

TEST_CASE("labelled letters: balanced labels, styles drawn by the distortion code", "[diffusion][letters]") {
  const int r = 24;
  const LetterStyles styles;
  Stream s(31, 0, 0, Purpose::patterns);
  const LabelledPoints data = labelled_letters(16, "AL", r, letters::Distortion{}, styles, s);
  REQUIRE(data.labels.cols() == 3);
  for (Eigen::Index i = 0; i < 16; ++i) {
    CHECK(data.labels(i, 0) == i % 2);
    CHECK(data.labels(i, 1) == (i / 2) % 2);
    CHECK(data.labels(i, 2) == (i / 4) % 2);
  }
  // Without random distortion an upright point is the plain rendering at its stroke width.
  for (Eigen::Index i : {0, 4}) {
    const auto plain = letters::render(i % 2 ? 'L' : 'A', r, i == 4 ? styles.bold_width : styles.thin_width);
    for (Eigen::Index j = 0; j < r * r; ++j) CHECK(data.x(i, j) == plain[static_cast<std::size_t>(j)]);
  }
  for (Eigen::Index i : {0, 1, 4, 5}) {
    INFO("point " << i);
    CHECK(ink_shear_moment(data.x, i + 2, r) > ink_shear_moment(data.x, i, r) + 1.0);  // italic leans right
  }
  for (Eigen::Index i = 0; i < 4; ++i) CHECK(data.x.row(i + 4).sum() > data.x.row(i).sum() + 20);  // bold: more ink
}

TEST_CASE("labelled letters leave a held-out combination out", "[diffusion][letters]") {
  const auto attrs = letter_attributes("ABC");
  const Condition held = parse_condition(attrs, "A:italic");
  Stream s(32, 0, 0, Purpose::patterns);
  const LabelledPoints data = labelled_letters(60, "ABC", 16, letters::Distortion{}, {}, s, held);
  int counts[3][2][2] = {};
  for (Eigen::Index i = 0; i < 60; ++i) {
    CHECK_FALSE(satisfies(data.labels, i, held));
    ++counts[data.labels(i, 0)][data.labels(i, 1)][data.labels(i, 2)];
  }
  // 12 - 2 = 10 combinations left, 6 points each.
  for (int l = 0; l < 3; ++l)
    for (int st = 0; st < 2; ++st)
      for (int k = 0; k < 2; ++k) CHECK(counts[l][st][k] == (l == 0 && st == 1 ? 0 : 6));
}
