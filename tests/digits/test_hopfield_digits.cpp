// hopfield.digits: the stored class means are fixed points of the pseudo-inverse rule, the softmax memory
// over all training digits reads handwriting, and the baselines equal a computation done here from scratch.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>

#include "bridge/kind_runner.hpp"
#include "spindiff/hopfield/network.hpp"
#include "spindiff/io/digits.hpp"

namespace {
using spindiff::io::Digits;

template <class T>
const std::vector<T>& array_of(const spindiff::test::KindRun& run, const std::string& name) {
  for (const auto& [key, a] : run.output.arrays())
    if (key == name) return std::get<std::vector<T>>(a.data);
  throw std::out_of_range("no array " + name);
}

// Hamming distance between the binarised (level >= 8) images of rows a and b.
int hamming(const Digits& d, std::size_t a, std::size_t b) {
  int n = 0;
  for (std::size_t i = 0; i < 64; ++i) n += (d.levels[a * 64 + i] >= 8) != (d.levels[b * 64 + i] >= 8);
  return n;
}
}  // namespace

TEST_CASE("hopfield.digits: stored class means are fixed points of the pseudo-inverse rule", "[digits]") {
  const auto run = spindiff::test::run_kind("hopfield.digits", {{"rule", std::string("pseudo_inverse")}}, 3);
  const auto& bits = array_of<std::int8_t>(run, "memories");
  REQUIRE(bits.size() == 10 * 64);
  std::vector<std::vector<std::int8_t>> means;
  for (int c = 0; c < 10; ++c) means.emplace_back(bits.begin() + c * 64, bits.begin() + (c + 1) * 64);

  // The memories are the binarised class means of the training part (mean level >= 8).
  const Digits d = spindiff::io::read_digits(spindiff::io::debian_digits_path);
  const auto split = spindiff::io::stratified_split(d.labels, 1.0 / 3.0, 3, 0);
  for (int c = 0; c < 10; ++c) {
    std::vector<double> sum(64, 0.0);
    double count = 0;
    for (auto r : split.train)
      if (d.labels[r] == c) {
        for (std::size_t i = 0; i < 64; ++i) sum[i] += d.levels[r * 64 + i];
        ++count;
      }
    for (std::size_t i = 0; i < 64; ++i) CHECK(means[c][i] == (sum[i] / count >= 8 ? 1 : -1));
  }

  using namespace spindiff::hopfield;
  const Network net(patterns_from(means), Rule::pseudo_inverse);
  spindiff::Stream order(5, 0, 0, spindiff::Purpose::dynamics);
  for (const auto& m : means) {
    const Recall r = net.recall(m, DynamicsOptions{}, order);
    CHECK(r.trajectory.converged);
    CHECK(r.trajectory.flips == 0);
    CHECK(r.state == m);
  }
}

TEST_CASE("hopfield.digits: the baselines equal an independent computation", "[digits]") {
  const auto run = spindiff::test::run_kind("hopfield.digits", {{"rule", std::string("hebb")}}, 21);
  const Digits d = spindiff::io::read_digits(spindiff::io::debian_digits_path);
  const auto split = spindiff::io::stratified_split(d.labels, 1.0 / 3.0, 21, 0);

  // Binarised class means, then nearest mean and nearest training digit by Hamming distance (first on ties).
  std::vector<std::vector<int>> means(10, std::vector<int>(64));
  for (int c = 0; c < 10; ++c)
    for (std::size_t i = 0; i < 64; ++i) {
      double sum = 0, count = 0;
      for (auto r : split.train)
        if (d.labels[r] == c) sum += d.levels[r * 64 + i], ++count;
      means[c][i] = sum / count >= 8;
    }
  int mean_hits = 0, nn_hits = 0;
  for (auto t : split.test) {
    int best_c = 0, best_dist = 65;
    for (int c = 0; c < 10; ++c) {
      int dist = 0;
      for (std::size_t i = 0; i < 64; ++i) dist += (d.levels[t * 64 + i] >= 8) != means[c][i];
      if (dist < best_dist) best_dist = dist, best_c = c;
    }
    mean_hits += best_c == d.labels[t];
    std::size_t best_r = split.train[0];
    best_dist = 65;
    for (auto r : split.train) {
      const int dist = hamming(d, t, r);
      if (dist < best_dist) best_dist = dist, best_r = r;
    }
    nn_hits += d.labels[best_r] == d.labels[t];
  }
  const double n = static_cast<double>(split.test.size());
  CHECK(run.scalar("baseline_nearest_mean") == Approx(mean_hits / n).epsilon(1e-12));
  CHECK(run.scalar("baseline_1nn") == Approx(nn_hits / n).epsilon(1e-12));
}

TEST_CASE("hopfield.digits: the softmax memory over all training digits reads handwriting", "[digits][physics]") {
  const auto run = spindiff::test::run_kind(
      "hopfield.digits", {{"rule", std::string("modern")}, {"memories", std::string("exemplars")}}, 1);
  // About 600 held-out digits: the binomial error is below 0.013 at any accuracy above 0.9.
  CHECK(run.scalar("accuracy_err") < 0.013);
  CHECK(run.scalar("accuracy") >= 0.90);
}
