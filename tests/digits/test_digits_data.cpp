// The digits data source: the file is read exactly, the split is stratified and seed-stable, a missing file
// is a configuration error naming the path and the package.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>

#include "bridge/kind_runner.hpp"
#include "cli/cli.hpp"
#include "spindiff/io/digits.hpp"
#include "test_support.hpp"

namespace {
using spindiff::io::Digits;

const Digits& digits() {
  static const Digits d = spindiff::io::read_digits(spindiff::io::debian_digits_path);
  return d;
}
}  // namespace

TEST_CASE("the digits file is read exactly", "[digits]") {
  const Digits& d = digits();
  REQUIRE(d.rows() == 1797);
  REQUIRE(d.levels.size() == 1797 * 64);
  const std::vector<std::int64_t> expected = {178, 182, 177, 183, 181, 182, 181, 179, 174, 180};
  for (int c = 0; c < 10; ++c) CHECK(std::count(d.labels.begin(), d.labels.end(), c) == expected[c]);
  CHECK(*std::min_element(d.levels.begin(), d.levels.end()) == 0);
  CHECK(*std::max_element(d.levels.begin(), d.levels.end()) == 16);
  // The first line of the file: a 0 whose top row is 0,0,5,13,9,1,0,0.
  CHECK(d.labels[0] == 0);
  const std::vector<int> top = {0, 0, 5, 13, 9, 1, 0, 0};
  for (int i = 0; i < 8; ++i) CHECK(d.levels[i] == top[i]);
}

TEST_CASE("the views: ink at the threshold, grey levels in [-1, 1]", "[digits]") {
  const std::vector<std::uint8_t> levels = {0, 7, 8, 16};
  CHECK(spindiff::io::binarize(levels, 8.0) == std::vector<std::int8_t>{-1, -1, 1, 1});
  CHECK(spindiff::io::grey(levels) == std::vector<double>{-1.0, -0.125, 0.0, 1.0});
}

TEST_CASE("the split is stratified, complete and seed-stable", "[digits]") {
  const Digits& d = digits();
  const auto a = spindiff::io::stratified_split(d.labels, 1.0 / 3.0, 7, 0);
  const auto b = spindiff::io::stratified_split(d.labels, 1.0 / 3.0, 7, 0);
  CHECK(a.train == b.train);
  CHECK(a.test == b.test);
  CHECK(a.train.size() + a.test.size() == d.rows());
  std::vector<int> seen(d.rows(), 0);
  for (auto i : a.train) ++seen[i];
  for (auto i : a.test) ++seen[i];
  CHECK(std::all_of(seen.begin(), seen.end(), [](int s) { return s == 1; }));
  for (int c = 0; c < 10; ++c) {
    const auto in_test = std::count_if(a.test.begin(), a.test.end(), [&](std::size_t i) { return d.labels[i] == c; });
    const auto size = std::count(d.labels.begin(), d.labels.end(), c);
    CHECK(in_test == std::lround(static_cast<double>(size) / 3.0));
  }
  // Another seed or another repeat draws another split.
  CHECK(spindiff::io::stratified_split(d.labels, 1.0 / 3.0, 8, 0).test != a.test);
  CHECK(spindiff::io::stratified_split(d.labels, 1.0 / 3.0, 7, 1).test != a.test);
}

TEST_CASE("a kind's held-out digits are the split of its seed and repeat", "[digits]") {
  const auto run = spindiff::test::run_kind("hopfield.digits", {{"rule", std::string("hebb")}}, 11, 2);
  std::vector<std::int64_t> expected;
  for (std::uint32_t r = 0; r < 2; ++r)
    for (auto i : spindiff::io::stratified_split(digits().labels, 1.0 / 3.0, 11, r).test)
      expected.push_back(static_cast<std::int64_t>(i));
  for (const auto& [name, array] : run.output.arrays())
    if (name == "test_index") CHECK(std::get<std::vector<std::int64_t>>(array.data) == expected);
}

TEST_CASE("a missing digits file is a configuration error naming the path and the package", "[digits]") {
  const std::string missing = "/nonexistent/digits.csv.gz";
  try {
    spindiff::test::run_kind("hopfield.digits", {{"digits_path", missing}});
    FAIL("no error");
  } catch (const spindiff::runner::ConfigError& e) {
    CHECK(e.key() == "digits_path");
    CHECK_THAT(e.message(), Catch::Contains(missing) && Catch::Contains("python3-sklearn"));
  }
  CHECK_THROWS_WITH(spindiff::io::read_digits(missing), Catch::Contains("python3-sklearn"));

  const auto dir = spindiff::test::scratch_dir("digits_missing");
  const auto cfg = dir / "cfg.toml";
  std::ofstream(cfg) << "kind = 'hopfield.digits'\ndigits_path = '" << missing << "'\n";
  const auto out = dir / "out.h5";
  CHECK(spindiff::cli::main({"spindiff", "run", "--quiet", cfg.string(), "-o", out.string()}) == 2);
  CHECK_FALSE(std::filesystem::exists(out));
}

TEST_CASE("a malformed digits file is an error naming the file and line", "[digits]") {
  const auto dir = spindiff::test::scratch_dir("digits_malformed");
  const auto path = dir / "bad.csv";
  std::ofstream(path) << "0,1,2\n";
  CHECK_THROWS_WITH(spindiff::io::read_digits(path), Catch::Contains("bad.csv, line 1"));
}
