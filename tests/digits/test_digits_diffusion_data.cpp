// data = "digits" for the diffusion kinds: grey levels in [-1, 1], drawn from the training part of the split
// that hopfield.digits uses for the same seed and repeat.
#include <catch2/catch.hpp>
#include <set>

#include "bridge/kind_runner.hpp"
#include "spindiff/io/digits.hpp"

TEST_CASE("diffusion.train on digits trains on grey training digits of the shared split", "[digits]") {
  const std::map<std::string, spindiff::runner::Value> values = {
      {"data", std::string("digits")}, {"n_train", std::int64_t{60}},    {"n_samples", std::int64_t{60}},
      {"steps", std::int64_t{2}},      {"width", std::int64_t{8}},       {"depth", std::int64_t{1}},
      {"batch", std::int64_t{8}},      {"sample_steps", std::int64_t{2}}};
  const auto run = spindiff::test::run_kind("diffusion.train", values, 9);
  const std::vector<double>& data = run.array("data");
  REQUIRE(data.size() == 60 * 64);

  const auto d = spindiff::io::read_digits(spindiff::io::debian_digits_path);
  const auto split = spindiff::io::stratified_split(d.labels, 1.0 / 3.0, 9, 0);
  std::set<std::vector<double>> train, test;
  for (auto r : split.train) train.insert(spindiff::io::grey(d.image(r)));
  for (auto r : split.test) test.insert(spindiff::io::grey(d.image(r)));
  int in_train = 0, only_in_test = 0;
  for (std::size_t k = 0; k < 60; ++k) {
    const std::vector<double> row(data.begin() + static_cast<std::ptrdiff_t>(k * 64),
                                  data.begin() + static_cast<std::ptrdiff_t>((k + 1) * 64));
    in_train += train.count(row) > 0;
    only_in_test += test.count(row) > 0 && train.count(row) == 0;
  }
  CHECK(in_train == 60);
  CHECK(only_in_test == 0);
}

TEST_CASE("data = digits: n_train beyond the training part is a configuration error", "[digits]") {
  CHECK_THROWS_AS(spindiff::test::run_kind("diffusion.sample", {{"data", std::string("digits")},
                                                                {"score", std::string("empirical")},
                                                                {"n_train", std::int64_t{1199}}}),
                  spindiff::runner::ConfigError);
}
