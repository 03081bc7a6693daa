// Result columns: every kind declares each /summary column it writes, `describe` and the file carry the
// declarations, and the runner writes `doc` (and `unit`) on every /summary dataset.
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "bridge/kind_runner.hpp"
#include "cli/cli.hpp"
#include "runner/test_kinds.hpp"
#include "spindiff/config/run_config.hpp"
#include "spindiff/io/hdf5.hpp"
#include "spindiff/runner/results_file.hpp"
#include "spindiff/runner/runner.hpp"
#include "test_support.hpp"

using spindiff::runner::Value;

namespace {

Value i(std::int64_t v) { return Value(v); }
Value s(const char* v) { return Value(std::string(v)); }

// The smallest configuration of each kind that still reaches every column it writes (a second entry for a
// kind exercises a branch that adds a column).
const std::multimap<std::string, std::map<std::string, Value>>& tiny_configs() {
  static const std::multimap<std::string, std::map<std::string, Value>> configs = {
      {"hopfield.letters", {{"letters", i(3)}, {"trials", i(1)}, {"max_sweeps", i(5)}}},
      {"hopfield.capacity", {{"N", i(50)}}},
      {"hopfield.digits", {{"rule", s("hebb")}, {"max_sweeps", i(2)}}},
      {"ising.thermo", {{"L", i(4)}, {"sweeps", i(200)}, {"thermalize", i(20)}}},
      {"spins.exact", {{"L", i(3)}}},
      {"ising.exact", {{"L", i(4)}}},
      {"spins.thermo", {{"sweeps", i(200)}, {"thermalize", i(20)}}},
      {"spins.thermo", {{"model", s("hopfield")}, {"sweeps", i(200)}, {"thermalize", i(20)}}},
      {"hopfield.thermo", {{"N", i(50)}, {"sweeps", i(50)}, {"thermalize", i(10)}}},
      {"langevin.boltzmann",
       {{"particles", i(50)}, {"steps", i(100)}, {"thermalize", i(10)}, {"integrator", s("mala")}}},
      {"langevin.escape", {{"particles", i(10)}, {"dt", Value(0.01)}, {"T", Value(0.5)}}},
      {"diffusion.train",
       {{"n_train", i(64)},
        {"width", i(8)},
        {"depth", i(1)},
        {"batch", i(16)},
        {"steps", i(20)},
        {"n_samples", i(20)},
        {"sample_steps", i(5)}}},
      {"diffusion.sample", {{"steps", i(10)}, {"n_samples", i(40)}, {"n_eval", i(40)}, {"projections", i(8)}}},
      {"diffusion.guidance", {{"steps", i(20)}, {"n_samples", i(100)}}},
      {"diffusion.compose", {{"steps", i(10)}, {"n_samples", i(50)}, {"n_eval", i(50)}}},
      {"bridge.recall", {{"N", i(40)}, {"trials", i(4)}, {"steps", i(10)}}},
      {"bridge.speciation", {{"d", i(16)}, {"trajectories", i(40)}}},
      {"bridge.collapse", {{"d", i(4)}, {"P", i(20)}, {"trajectories", i(20)}, {"T", Value(1.0)}}},
      {"bridge.landscape", {{"grid", i(51)}, {"scan_points", i(20)}}},
      {"bridge.memorization",
       {{"P", i(8)},
        {"d", i(2)},
        {"samples", i(40)},
        {"train_steps", i(20)},
        {"width", i(8)},
        {"depth", i(1)},
        {"batch", i(8)}}},
      {"bridge.generalization",
       {{"P", i(8)},
        {"samples", i(8)},
        {"sample_steps", i(4)},
        {"width", i(8)},
        {"depth", i(1)},
        {"train_steps", i(10)},
        {"batch", i(8)}}},
      {"diffusion.classifier",
       {{"attribute", s("component")},
        {"n_train", i(64)},
        {"n_eval", i(20)},
        {"width", i(8)},
        {"depth", i(1)},
        {"batch", i(16)},
        {"steps", i(10)},
        {"accuracy_levels", i(2)}}},
  };
  return configs;
}

// diffusion.attributes reads two result files: a conditional score (diffusion.train with labels) and the
// classifiers (diffusion.classifier). Tiny ones are written here, once.
std::map<std::string, Value> tiny_attributes_config() {
  const auto dir = spindiff::test::scratch_dir("result_columns_attributes");
  const auto run = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / (name + ".toml")) << text;
    const std::string out = (dir / (name + ".h5")).string();
    REQUIRE(spindiff::cli::main({"spindiff", "run", "--quiet", (dir / (name + ".toml")).string(), "--output", out}) ==
            0);
    return out;
  };
  const std::string weights =
      run("train",
          "kind = 'diffusion.train'\nseed = 1\nn_train = 64\nlabels = ['component']\nlabel_dropout = 0.2\n"
          "width = 8\ndepth = 1\nbatch = 16\nsteps = 20\nn_samples = 0\n");
  const std::string classifiers =
      run("classifiers",
          "kind = 'diffusion.classifier'\nseed = 2\nattribute = 'component'\nn_train = 64\nn_eval = 20\n"
          "width = 8\ndepth = 1\nbatch = 16\nsteps = 10\naccuracy_levels = 2\n");
  return {{"weights", s(weights.c_str())},
          {"classifiers", s(classifiers.c_str())},
          {"condition", s("1")},
          {"holdout", s("0")},
          {"steps", i(5)},
          {"n_samples", i(8)},
          {"n_fresh", i(8)}};
}

}  // namespace

TEST_CASE("every kind declares each summary column it writes", "[result_columns]") {
  std::set<std::string> covered;
  auto configs = tiny_configs();
  configs.emplace("diffusion.attributes", tiny_attributes_config());
  for (const auto& [name, values] : configs) {
    INFO("kind " << name);
    // run_kind refuses a column without a declaration.
    const auto run = spindiff::test::run_kind(name, values, 3, 2);
    CHECK_FALSE(run.output.columns().empty());
    covered.insert(name);
  }
  for (const auto& kind : spindiff::runner::all_kinds()) {
    if (kind.name.rfind("test.", 0) == 0) continue;
    // Every kind runs here: a new kind needs one line above.
    INFO("kind " << kind.name << " has no tiny configuration in this test");
    CHECK(covered.count(kind.name) == 1);
    for (const auto& column : kind.results) {
      INFO("column " << column.name);
      CHECK_FALSE(column.doc.empty());
    }
  }
}

TEST_CASE("an _err column resolves to its column; an exact value has none", "[result_columns]") {
  using namespace spindiff::runner;
  const std::vector<ResultColumn> declared = {result("m", "mean overlap"), exact_result("n", "count"),
                                              result_family("weight_", "mode weight")};
  CHECK(resolve_result_column(declared, "m").column == &declared[0]);
  const ResolvedColumn err = resolve_result_column(declared, "m_err");
  CHECK(err.column == &declared[0]);
  CHECK(err.error);
  CHECK(err.doc() == "standard error of: mean overlap");
  CHECK(resolve_result_column(declared, "n_err").column == nullptr);
  CHECK(resolve_result_column(declared, "weight_3").column == &declared[2]);
  CHECK(resolve_result_column(declared, "weight_3_err").column == &declared[2]);
  CHECK(resolve_result_column(declared, "weight_").column == nullptr);
  CHECK(resolve_result_column(declared, "other").column == nullptr);
}

TEST_CASE("the runner writes doc and unit attributes on every summary dataset", "[result_columns]") {
  using namespace spindiff;
  const auto dir = test::scratch_dir("result_columns");
  const auto cfg = config::parse_run_config("kind = 'spins.exact'\nL = 3\n[sweep]\nT = [1.5, 2.5]\n", "inline.toml",
                                            dir, {}, runner::all_kinds());
  runner::Execution ex = runner::execute(cfg, runner::ExecuteOptions{});
  REQUIRE(ex.complete());
  const auto file = dir / "out.h5";
  runner::write_results(file, cfg, ex.results, runner::Provenance{"test", 1}, true);
  const io::File h5 = io::File::open_read(file);
  const io::Group summary = h5.root().open_group("summary");
  const auto columns = summary.attr_strings("columns");
  REQUIRE(columns.size() > 3);
  for (const auto& name : columns) {
    INFO("column " << name);
    const io::Group column = summary.object(name);
    REQUIRE(column.has_attr("doc"));
    CHECK_FALSE(column.attr_string("doc").empty());
  }
  CHECK(summary.object("T").attr_string("doc").rfind("parameter: ", 0) == 0);
  CHECK(summary.object("energy").attr_string("unit") == "J");
  CHECK_FALSE(summary.object("binder").has_attr("unit"));
}

TEST_CASE("an undeclared column is written without doc, with a warning; the kind tests refuse it", "[result_columns]") {
  using namespace spindiff;
  runner::Kind k;
  k.name = "test.undeclared";
  k.summary = "test kind: writes a column it does not declare";
  k.params = {runner::integer_param("unused", 0, 0, 1, "nothing")};
  k.results = {runner::result("known", "a declared column")};
  k.run = [](const runner::Params&, const runner::TaskContext&, runner::TaskOutput& out) {
    out.scalar("known", 1.0, 0.5);
    out.scalar("mystery", 2.0);
  };
  runner::register_kind(k);
  CHECK_THROWS_AS(test::run_kind("test.undeclared", {}), std::logic_error);

  const auto dir = test::scratch_dir("undeclared_column");
  const auto cfg = config::parse_run_config("kind = 'test.undeclared'\n", "inline.toml", dir, {}, runner::all_kinds());
  runner::Execution ex = runner::execute(cfg, runner::ExecuteOptions{});
  REQUIRE(ex.complete());
  const auto& warnings = ex.results[0].output.warnings();
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("'mystery'") != std::string::npos);
  const auto file = dir / "out.h5";
  runner::write_results(file, cfg, ex.results, runner::Provenance{"test", 1}, true);
  const io::File h5 = io::File::open_read(file);
  const io::Group summary = h5.root().open_group("summary");
  CHECK(summary.object("known_err").attr_string("doc") == "standard error of: a declared column");
  CHECK_FALSE(summary.object("mystery").has_attr("doc"));
}
