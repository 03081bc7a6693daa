// Letter bitmaps and their recall: correlated patterns, where the pseudo-inverse rule beats Hebb.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "spindiff/hopfield/letters.hpp"
#include "spindiff/hopfield/network.hpp"

using namespace spindiff;
using namespace spindiff::hopfield;

namespace {

Patterns letter_patterns(int count, int R) {
  std::vector<std::vector<std::int8_t>> bitmaps;
  for (int k = 0; k < count; ++k) bitmaps.push_back(letters::render(static_cast<char>('A' + k), R));
  return patterns_from(bitmaps);
}

struct Score {
  int correct = 0, total = 0;
  double accuracy() const { return static_cast<double>(correct) / total; }
  double se() const { return std::sqrt(accuracy() * (1 - accuracy()) / total); }
};

Score recall_letters(const Network& net, double noise, int trials) {
  Score score;
  const auto count = static_cast<int>(net.patterns().P);
  const int R = static_cast<int>(std::lround(std::sqrt(static_cast<double>(net.patterns().N))));
  for (int k = 0; k < count; ++k)
    for (int t = 0; t < trials; ++t) {
      Stream cue(31, static_cast<std::uint32_t>(k), static_cast<std::uint32_t>(t), Purpose::cue);
      Stream dyn(31, static_cast<std::uint32_t>(k), static_cast<std::uint32_t>(t), Purpose::dynamics);
      letters::Distortion d;
      d.noise = noise;
      const Recall r = net.recall(letters::render(static_cast<char>('A' + k), R, d, cue), DynamicsOptions{}, dyn);
      score.correct += best_match(overlaps(net.patterns(), r.state)) == static_cast<std::size_t>(k);
      ++score.total;
    }
  return score;
}

}  // namespace

TEST_CASE("letters render as distinct, correlated ±1 bitmaps", "[hopfield]") {
  for (const int R : {16, 24}) {
    const Patterns p = letter_patterns(26, R);
    double mean_overlap = 0;
    for (std::size_t a = 0; a < 26; ++a) {
      const auto x = p.pattern(a);
      const double ink = std::count(x.begin(), x.end(), 1) / static_cast<double>(x.size());
      INFO("letter " << static_cast<char>('A' + a) << " R " << R << " ink " << ink);
      CHECK(ink > 0.08);
      CHECK(ink < 0.5);
      for (std::size_t b = a + 1; b < 26; ++b) {
        const double m = overlaps(p, x)[b];
        CHECK(m < 1.0);  // no two letters coincide
        mean_overlap += m / (26 * 25 / 2);
      }
    }
    // Mostly background: letters overlap far beyond the 1/√N of independent random patterns.
    CHECK(mean_overlap > 5.0 / R);
  }
  CHECK_THROWS(letters::render('a', 16));
  CHECK_THROWS(letters::render('A', 12));
}

TEST_CASE("letter distortions: exact pixel-flip fraction, reproducible from the stream", "[hopfield]") {
  const auto clean = letters::render('K', 16);
  letters::Distortion d;
  d.noise = 0.1;
  Stream a(1, 2, 3, Purpose::cue), b(1, 2, 3, Purpose::cue);
  const auto x = letters::render('K', 16, d, a);
  CHECK(x == letters::render('K', 16, d, b));
  int differ = 0;
  for (std::size_t i = 0; i < x.size(); ++i) differ += x[i] != clean[i];
  CHECK(differ == 26);  // round(0.1 · 256)
  // Width jitter of ±100%: some cues carry more ink than the clean letter, some less.
  letters::Distortion thick;
  thick.thickness = 1.0;
  int more = 0, less = 0;
  for (std::uint32_t t = 0; t < 20; ++t) {
    Stream s(1, t, 0, Purpose::cue);
    const auto y = letters::render('K', 16, thick, s);
    const long ink_y = std::count(y.begin(), y.end(), 1), ink_0 = std::count(clean.begin(), clean.end(), 1);
    more += ink_y > ink_0;
    less += ink_y < ink_0;
  }
  CHECK(more > 0);
  CHECK(less > 0);
}

TEST_CASE("pseudo-inverse rule recalls 5 stored letters at noise 0.05", "[hopfield]") {
  const Network net(letter_patterns(5, 16), Rule::pseudo_inverse);
  const Score s = recall_letters(net, 0.05, 20);
  CHECK(s.correct == s.total);
}

TEST_CASE("Hebb mixes correlated letters, the pseudo-inverse rule keeps them apart", "[hopfield]") {
  for (const int count : {10, 26}) {
    const Patterns p = letter_patterns(count, 16);
    const Score hebb = recall_letters(Network(p, Rule::hebb), 0.05, 8);
    const Score pinv = recall_letters(Network(p, Rule::pseudo_inverse), 0.05, 8);
    INFO(count << " letters: hebb " << hebb.accuracy() << ", pseudo-inverse " << pinv.accuracy());
    CHECK(pinv.accuracy() - hebb.accuracy() > 3 * std::hypot(hebb.se(), pinv.se()) + 0.1);
  }
}
