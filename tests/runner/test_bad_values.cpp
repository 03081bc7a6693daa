// Values that would give a silent wrong result are refused at validation, naming the key.
#include <catch2/catch.hpp>
#include <filesystem>

#include "spindiff/config/run_config.hpp"
#include "spindiff/kinds/all_kinds.hpp"
#include "test_support.hpp"

using spindiff::config::parse_run_config;
using spindiff::runner::ConfigError;

namespace {
std::string error_of(const std::string& text) {
  try {
    parse_run_config(text, "cfg.toml", ".", {}, spindiff::runner::all_kinds());
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST_CASE("inf and nan are refused where a finite number is meant", "[config]") {
  CHECK_THAT(error_of("kind = 'ising.thermo'\nT = inf\n"), Catch::Contains("'T'") && Catch::Contains("finite"));
  CHECK_THAT(error_of("kind = 'ising.thermo'\nJ = nan\n"), Catch::Contains("'J'") && Catch::Contains("finite"));
  CHECK_THAT(error_of("kind = 'ising.thermo'\nh = -inf\n"), Catch::Contains("'h'"));
  CHECK_THAT(error_of("kind = 'ising.thermo'\n[sweep]\nJ = [1.0, inf]\n"), Catch::Contains("sweep.J"));
  CHECK(error_of("kind = 'ising.thermo'\nJ = 1e300\n") == "(no error)");
}

TEST_CASE("the seed is an integer of at most 2^53, compared exactly", "[config]") {
  CHECK(error_of("kind = 'ising.thermo'\nseed = 9007199254740992\n") == "(no error)");
  CHECK_THAT(error_of("kind = 'ising.thermo'\nseed = 9007199254740993\n"), Catch::Contains("'seed'"));
  CHECK_THAT(error_of("kind = 'ising.thermo'\nseed = 9223372036854775807\n"), Catch::Contains("'seed'"));
}

TEST_CASE("derived sizes are checked before any work", "[config]") {
  CHECK_THAT(error_of("kind = 'ising.thermo'\nL = 4096\ndim = 3\n"),
             Catch::Contains("'L'") && Catch::Contains("L^dim = 6.872e+10"));
  CHECK_THAT(error_of("kind = 'spins.thermo'\nmodel = 'sk'\nN = 100000000\n"),
             Catch::Contains("'N'") && Catch::Contains("GB of memory"));
  CHECK_THAT(error_of("kind = 'hopfield.thermo'\nN = 100000000\nalpha = 10\n"),
             Catch::Contains("'alpha'") && Catch::Contains("GB of memory"));
}

TEST_CASE("langevin.escape refuses step counts it cannot reach and unstable steps", "[config]") {
  CHECK_THAT(error_of("kind = 'langevin.escape'\nmax_time = 1e17\n"),
             Catch::Contains("'max_time'") && Catch::Contains("2^53"));
  CHECK_THAT(error_of("kind = 'langevin.escape'\nT = 0.001\n"), Catch::Contains("'T'") && Catch::Contains("2^53"));
  CHECK_THAT(error_of("kind = 'langevin.escape'\ndt = 1.5\n"), Catch::Contains("'dt'") && Catch::Contains("unstable"));
  CHECK(error_of("kind = 'langevin.escape'\ndt = 0.5\n") == "(no error)");
}

TEST_CASE("a directory given as the configuration is an error about the path", "[config]") {
  const auto dir = std::filesystem::path(SPINDIFF_TEST_TMP);
  try {
    spindiff::config::load_run_config(dir, {}, spindiff::runner::all_kinds());
    FAIL("no error");
  } catch (const ConfigError& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains(dir.string()) && Catch::Contains("directory"));
  }
}
