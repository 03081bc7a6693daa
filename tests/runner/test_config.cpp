#include <catch2/catch.hpp>

#include "spindiff/config/run_config.hpp"
#include "test_kinds.hpp"

using spindiff::config::parse_run_config;
using spindiff::runner::ConfigError;

namespace {
spindiff::config::RunConfig parse(const std::string& text, const std::vector<std::string>& sets = {}) {
  spindiff::test::register_test_kinds();
  return parse_run_config(text, "cfg.toml", ".", sets, spindiff::runner::all_kinds());
}

// The error message of a config that must fail.
std::string error_of(const std::string& text, const std::vector<std::string>& sets = {}) {
  try {
    parse(text, sets);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST_CASE("defaults and plain values", "[config]") {
  auto cfg = parse("kind = 'test.gaussian'\nmean = 2\nseed = 9\n");
  REQUIRE(cfg.tasks.size() == 1);
  CHECK(cfg.seed == 9);
  CHECK(cfg.tasks[0].real("mean") == 2.0);
  CHECK(cfg.tasks[0].integer("n") == 1000);
  CHECK(cfg.tasks[0].string("label") == "a");
  CHECK(cfg.summary_params == std::vector<std::string>{"mean"});
}

TEST_CASE("sweeps form the Cartesian product in file order, last fastest", "[config]") {
  auto cfg = parse(
      "kind = 'test.gaussian'\n[sweep]\nmean = { linspace = [0, 1, 3] }\nlabel = ['a', 'c']\n");
  REQUIRE(cfg.tasks.size() == 6);
  CHECK(cfg.swept == std::vector<std::string>{"mean", "label"});
  CHECK(cfg.tasks[0].real("mean") == 0.0);
  CHECK(cfg.tasks[1].string("label") == "c");
  CHECK(cfg.tasks[2].real("mean") == 0.5);
  CHECK(cfg.tasks[5].real("mean") == 1.0);
  CHECK(cfg.summary_params == std::vector<std::string>{"mean", "label"});

  auto log = parse("kind = 'test.gaussian'\n[sweep]\nn = { logspace = [1, 3, 3] }\n");
  REQUIRE(log.tasks.size() == 3);
  CHECK(log.tasks[0].integer("n") == 10);
  CHECK(log.tasks[2].integer("n") == 1000);
  auto geom = parse("kind = 'test.gaussian'\n[sweep]\nmean = { geomspace = [1, 100, 3] }\n");
  CHECK(geom.tasks[1].real("mean") == Approx(10.0).epsilon(1e-14));
}

TEST_CASE("command-line overrides (--set) of values, sweeps and bare strings", "[config]") {
  auto cfg = parse("kind = 'test.gaussian'\nmean = 1\n", {"mean=3.5", "label=b", "sweep.n=[10, 20]"});
  REQUIRE(cfg.tasks.size() == 2);
  CHECK(cfg.tasks[1].real("mean") == 3.5);
  CHECK(cfg.tasks[1].string("label") == "b");
  CHECK(cfg.tasks[1].integer("n") == 20);
  // The resolved TOML reproduces the same configuration without the overrides.
  auto again = parse(cfg.resolved_toml);
  REQUIRE(again.tasks.size() == 2);
  CHECK(again.tasks[1].real("mean") == 3.5);
  CHECK(again.tasks[1].string("label") == "b");
}

TEST_CASE("bad configurations name the file, the key and what is allowed", "[config]") {
  CHECK_THAT(error_of("kind = 'test.gaussian'\nmaen = 1\n"),
             Catch::Contains("cfg.toml") && Catch::Contains("maen") && Catch::Contains("did you mean 'mean'"));
  CHECK_THAT(error_of("kind = 'test.gaussian'\nmean = 'x'\n"), Catch::Contains("'mean'") && Catch::Contains("float"));
  CHECK_THAT(error_of("kind = 'test.gaussian'\nmean = 1000\n"),
             Catch::Contains("'mean'") && Catch::Contains("out of range") && Catch::Contains("-100"));
  CHECK_THAT(error_of("kind = 'test.gaussian'\nn = 2.5\n"), Catch::Contains("'n'") && Catch::Contains("integer"));
  CHECK_THAT(error_of("kind = 'test.gaussian'\nlabel = 'd'\n"),
             Catch::Contains("'label'") && Catch::Contains("a, b, c"));
  CHECK_THAT(error_of("kind = 'test.gausian'\n"), Catch::Contains("did you mean 'test.gaussian'"));
  CHECK_THAT(error_of("mean = 1\n"), Catch::Contains("'kind'"));
  CHECK_THAT(error_of("kind = 'test.gaussian'\nmean = \n"), Catch::Contains("malformed TOML") && Catch::Contains("line 2"));
  CHECK_THAT(error_of("kind = 'test.gaussian'\n[sweep]\nmean = { linspace = [0, 1] }\n"),
             Catch::Contains("sweep.mean.linspace"));
  CHECK_THAT(error_of("kind = 'test.gaussian'\n[sweep]\nmaen = [1, 2]\n"), Catch::Contains("sweep.maen"));
  CHECK_THAT(error_of("kind = 'test.gaussian'\nweights = [0.1, 0.2, 0.7]\n"), Catch::Contains("'weights'"));
  CHECK_THAT(error_of("kind = 'test.gaussian'\n", {"noequals"}), Catch::Contains("key=value"));
}
