// Repeats owned by the runner: a kind reports one value per repeat, the runner writes the mean, its standard
// error and the raw values.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <stdexcept>

#include "cli/cli.hpp"
#include "spindiff/io/hdf5.hpp"
#include "spindiff/kinds/all_kinds.hpp"
#include "spindiff/runner/output.hpp"
#include "spindiff/stats/mean_error.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using spindiff::runner::TaskOutput;

namespace {

// The value a test kind reports in repeat r: 1, 2, 4, 8, ... (known exactly, no randomness).
double known_value(std::int64_t r) { return std::ldexp(1.0, static_cast<int>(r)); }

double column(const TaskOutput& out, const std::string& name) {
  for (const auto& [n, v] : out.columns())
    if (n == name) return std::get<double>(v);
  FAIL("no column " << name);
  return 0;
}

const std::vector<double>& raw(const TaskOutput& out, const std::string& name) {
  for (const auto& [n, a] : out.arrays())
    if (n == name) return std::get<std::vector<double>>(a.data);
  FAIL("no dataset " << name);
  throw std::logic_error("unreachable");
}

void register_repeats_kind() {
  using namespace spindiff::runner;
  Kind k;
  k.name = "test.repeats";
  k.summary = "test kind: reports 2^r in repeat r";
  k.params = {integer_param("unused", 0, 0, 1, "a parameter to sweep")};
  k.results = {exact_result("first", "a text column"), result("power", "2^r over the repeats"),
               exact_result("last", "a constant")};
  k.run = [](const Params&, const TaskContext& ctx, TaskOutput& out) {
    out.label("first", "before the samples");
    for (std::int64_t r = 0; r < ctx.repeats; ++r) out.sample("power", known_value(r));
    out.scalar("last", 1.0);
  };
  register_kind(k);
}

}  // namespace

TEST_CASE("sample: mean and standard error over repeats, raw values kept", "[repeats]") {
  TaskOutput out;
  out.sample("x", 1.0);
  out.sample("x", 2.0);
  out.sample("x", 4.0);
  // Mean 7/3; sample variance ((4/3)^2 + (1/3)^2 + (5/3)^2) / 2 = 7/3; error sqrt(7/3 / 3) = sqrt(7) / 3.
  CHECK(column(out, "x") == Approx(7.0 / 3.0).epsilon(1e-15));
  CHECK(column(out, "x_err") == Approx(std::sqrt(7.0) / 3.0).epsilon(1e-15));
  CHECK(raw(out, "repeats/x") == std::vector<double>{1.0, 2.0, 4.0});
  CHECK(out.columns().size() == 2);
  CHECK(out.columns()[1].first == "x_err");
}

TEST_CASE("sample: bit-identical to stats::mean_error", "[repeats]") {
  const std::vector<double> values = {0.1, 1e8 + 0.3, -2.7, 3.0 / 7.0, 1e-9, 42.0};
  TaskOutput out;
  for (double v : values) out.sample("y", v);
  const auto m = spindiff::stats::mean_error(values);
  CHECK(column(out, "y") == m.mean);
  CHECK(column(out, "y_err") == m.error);
}

TEST_CASE("sample: a single repeat has no error bar unless the kind gives one", "[repeats]") {
  TaskOutput plain;
  plain.sample("z", 3.5);
  CHECK(column(plain, "z") == 3.5);
  CHECK(std::isnan(column(plain, "z_err")));

  TaskOutput own;
  own.sample("z", 3.5, 0.25);
  CHECK(column(own, "z") == 3.5);
  CHECK(column(own, "z_err") == 0.25);
  CHECK(raw(own, "repeats/z_err") == std::vector<double>{0.25});
  // With two repeats the spread over repeats is the error, not the repeats' own estimates.
  own.sample("z", 4.5, 0.25);
  CHECK(column(own, "z_err") == Approx(0.5).epsilon(1e-15));  // |4.5 - 3.5| / 2

  TaskOutput mixed;
  mixed.sample("z", 1.0, 0.1);
  CHECK_THROWS_AS(mixed.sample("z", 2.0), std::logic_error);
}

TEST_CASE("no_sample: a repeat without a value is NaN in repeats/ and left out of the mean and error", "[repeats]") {
  TaskOutput out;
  out.no_sample("t");
  CHECK(std::isnan(column(out, "t")));
  CHECK(std::isnan(column(out, "t_err")));
  out.sample("t", 1.0);
  CHECK(column(out, "t") == 1.0);
  CHECK(std::isnan(column(out, "t_err")));  // one value: no spread
  out.no_sample("t");
  out.sample("t", 4.0);
  const std::vector<double> present = {1.0, 4.0};
  const auto m = spindiff::stats::mean_error(present);
  CHECK(column(out, "t") == m.mean);       // 2.5
  CHECK(column(out, "t_err") == m.error);  // 1.5
  const std::vector<double>& r = raw(out, "repeats/t");
  REQUIRE(r.size() == 4);
  CHECK((std::isnan(r[0]) && r[1] == 1.0 && std::isnan(r[2]) && r[3] == 4.0));

  // With per-repeat errors: a missing repeat has a NaN error, and a single present repeat's own error is the bar.
  TaskOutput own;
  own.no_sample("u");
  own.sample("u", 2.0, 0.5);
  own.no_sample("u");
  CHECK(column(own, "u") == 2.0);
  CHECK(column(own, "u_err") == 0.5);
  const std::vector<double>& e = raw(own, "repeats/u_err");
  REQUIRE(e.size() == 3);
  CHECK((std::isnan(e[0]) && e[1] == 0.5 && std::isnan(e[2])));
}

TEST_CASE("the runner writes sampled columns and /tasks/NNNN/repeats", "[repeats][cli]") {
  register_repeats_kind();
  auto dir = spindiff::test::scratch_dir("repeats");
  const fs::path cfg = dir / "cfg.toml";
  std::ofstream(cfg) << "kind = 'test.repeats'\nrepeats = 4\n[sweep]\nrepeats = [1, 4]\n";
  const fs::path file = dir / "out.h5";
  REQUIRE(spindiff::cli::main({"spindiff", "run", "--quiet", cfg.string(), "-o", file.string()}) == 0);

  auto f = spindiff::io::File::open_read(file);
  auto summary = f.root().open_group("summary");
  CHECK(summary.attr_strings("columns") ==
        std::vector<std::string>{"task", "repeats", "first", "power", "power_err", "last"});
  const auto mean = summary.read_doubles("power"), err = summary.read_doubles("power_err");
  REQUIRE(mean.size() == 2);
  // One repeat: 1 with no error. Four: 1, 2, 4, 8, mean 15/4, sample variance 115/12, error sqrt(115/48).
  CHECK(mean[0] == 1.0);
  CHECK(std::isnan(err[0]));
  CHECK(mean[1] == Approx(15.0 / 4.0).epsilon(1e-15));
  CHECK(err[1] == Approx(std::sqrt(115.0 / 48.0)).epsilon(1e-15));
  CHECK(f.root().open_group("tasks/0000").read_doubles("repeats/power") == std::vector<double>{1.0});
  CHECK(f.root().open_group("tasks/0001").read_doubles("repeats/power") == std::vector<double>{1.0, 2.0, 4.0, 8.0});
}
