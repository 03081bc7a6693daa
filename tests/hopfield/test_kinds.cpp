// The Hopfield experiment kinds, run in-process through the runner API.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "spindiff/config/run_config.hpp"
#include "spindiff/hopfield/ags.hpp"
#include "spindiff/hopfield/dynamics.hpp"
#include "spindiff/hopfield/letters.hpp"
#include "spindiff/hopfield/network.hpp"
#include "spindiff/hopfield/states.hpp"
#include "spindiff/kinds/all_kinds.hpp"
#include "spindiff/runner/runner.hpp"

using namespace spindiff;

namespace {

config::RunConfig parse(const std::string& text, const std::vector<std::string>& sets = {}) {
  return config::parse_run_config(text, "cfg.toml", ".", sets, runner::all_kinds());
}

double column(const runner::TaskOutput& out, const std::string& name) {
  for (const auto& [n, v] : out.columns())
    if (n == name) return std::get<double>(v);
  FAIL("no column " << name);
  return 0;
}

const runner::Array& array(const runner::TaskOutput& out, const std::string& name) {
  for (const auto& [n, a] : out.arrays())
    if (n == name) return a;
  FAIL("no array " << name);
  throw std::logic_error("unreachable");
}

std::string config_error(const std::string& text) {
  try {
    parse(text);
  } catch (const runner::ConfigError& e) {
    return e.key();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("hopfield.letters recalls 5 letters with the pseudo-inverse rule and records its data", "[hopfield]") {
  const auto cfg = parse(
      "kind = 'hopfield.letters'\nseed = 3\nletters = 5\nrule = 'pseudo-inverse'\nnoise = 0.05\n"
      "trials = 4\n");
  CHECK(cfg.summary_params == std::vector<std::string>{"noise", "letters", "rule"});
  const runner::TaskOutput out = runner::run_task(cfg, 0);
  CHECK(column(out, "accuracy") == 1.0);
  CHECK(column(out, "overlap") > 0.95);
  CHECK(array(out, "stored").shape == std::vector<std::size_t>{5, 16, 16});
  CHECK(array(out, "cues").shape == std::vector<std::size_t>{20, 16, 16});
  CHECK(array(out, "recalled").shape == std::vector<std::size_t>{20, 16, 16});
  const runner::Array& e = array(out, "energies");
  const auto& energies = std::get<std::vector<double>>(e.data);
  REQUIRE(e.shape.size() == 2);
  for (std::size_t c = 0; c < e.shape[0]; ++c)  // asynchronous dynamics: non-increasing, NaN-padded
    for (std::size_t t = 1; t < e.shape[1]; ++t) {
      const double prev = energies[c * e.shape[1] + t - 1], cur = energies[c * e.shape[1] + t];
      if (!std::isnan(cur)) CHECK(cur <= prev + 1e-9);
    }
  // Same configuration, same task: identical output.
  const runner::TaskOutput again = runner::run_task(cfg, 0);
  CHECK(std::get<std::vector<std::int8_t>>(array(again, "recalled").data) ==
        std::get<std::vector<std::int8_t>>(array(out, "recalled").data));
}

TEST_CASE("hopfield.letters with synchronous recall reports exactly the cues that end in a two-cycle", "[hopfield]") {
  // Twelve letters, 30 % noise: synchronous pseudo-inverse recall ends at fixed points or two-cycles. Each
  // recalled state is checked with two more synchronous sweeps on the same network, independently of the kind.
  const auto cfg = parse(
      "kind = 'hopfield.letters'\nseed = 5\nletters = 12\nrule = 'pseudo-inverse'\nnoise = 0.3\ndynamics = 'sync'\n"
      "trials = 10\nmax_sweeps = 1000\n");
  const runner::TaskOutput out = runner::run_task(cfg, 0);
  const auto& stored = std::get<std::vector<std::int8_t>>(array(out, "stored").data);
  const auto& recalled = std::get<std::vector<std::int8_t>>(array(out, "recalled").data);
  const auto& cycled = std::get<std::vector<std::int64_t>>(array(out, "two_cycle").data);
  const auto& converged = std::get<std::vector<std::int64_t>>(array(out, "converged").data);
  const std::size_t N = 16 * 16, cues = cycled.size();
  REQUIRE(cues == 120);
  std::vector<std::vector<std::int8_t>> bitmaps;
  for (std::size_t k = 0; k < 12; ++k) bitmaps.emplace_back(stored.begin() + k * N, stored.begin() + (k + 1) * N);
  const hopfield::Network net(hopfield::patterns_from(bitmaps), hopfield::Rule::pseudo_inverse);
  std::size_t count = 0;
  for (std::size_t c = 0; c < cues; ++c) {
    const std::vector<std::int8_t> s(recalled.begin() + c * N, recalled.begin() + (c + 1) * N);
    hopfield::DenseState state(net.model(), s);
    std::vector<std::uint32_t> scratch;
    const bool moves = hopfield::sync_sweep(state, scratch) > 0;
    hopfield::sync_sweep(state, scratch);
    const bool returns = std::equal(s.begin(), s.end(), state.spins().begin());
    INFO("cue " << c);
    CHECK(converged[c] + cycled[c] == 1);  // 1000 sweeps are plenty
    CHECK(cycled[c] == (moves && returns));
    count += cycled[c];
  }
  CHECK(column(out, "two_cycle_fraction") == static_cast<double>(count) / cues);
  CHECK(count > 0);  // the configuration has cycles to find
}

TEST_CASE("hopfield.letters: one Hebbian letter attracts the cues of positive overlap, its mirror image the rest",
          "[hopfield]") {
  // One stored pattern xi with the Hebb rule: h_i xi_i = m - xi_i s_i / N (zero diagonal), so a cue with overlap
  // m > 0 (m >= 2/N on N = 256 pixels) turns every visited spin to xi and T = 0 dynamics end at xi (overlap 1),
  // a cue with m < 0 ends at -xi (overlap -1), and m = 0 ends at either. Near the noise 1/2 the sign of m is
  // random, so the mean recalled overlap is the exact two-basin prediction P(m > 0) - P(m < 0) over the cue
  // law. That law is drawn here a second time, on streams of the test's own, and the kind's mean is compared
  // with it within 4 combined standard errors.
  const std::string distortion = "shift = 0.5\nthickness = 0.2\nrotation = 3.0\nshear = 0.05\nscale = 0.03\n";
  const double noise = 0.48;
  const std::size_t trials = 2000, N = 16 * 16;
  const auto cfg = parse(
      "kind = 'hopfield.letters'\nseed = 11\nletters = 1\nrule = 'hebb'\nnoise = 0.48\n"
      "trials = 2000\n" +
      distortion);
  const runner::TaskOutput out = runner::run_task(cfg, 0);
  const auto& stored = std::get<std::vector<std::int8_t>>(array(out, "stored").data);
  const auto& cues = std::get<std::vector<std::int8_t>>(array(out, "cues").data);
  const auto& final_overlap = std::get<std::vector<double>>(array(out, "final_overlap").data);
  REQUIRE(final_overlap.size() == trials);
  const auto overlap_with_stored = [&](const std::int8_t* s) {
    long sum = 0;
    for (std::size_t i = 0; i < N; ++i) sum += stored[i] * s[i];
    return static_cast<double>(sum) / static_cast<double>(N);
  };
  // Every cue, exactly: the basin is the sign of its overlap.
  for (std::size_t c = 0; c < trials; ++c) {
    const double m = overlap_with_stored(&cues[c * N]);
    INFO("cue " << c << ", overlap " << m);
    if (m != 0.0)
      CHECK(final_overlap[c] == (m > 0 ? 1.0 : -1.0));
    else
      CHECK(std::abs(final_overlap[c]) == 1.0);
  }
  // The mean, against the prediction from independently drawn cues.
  hopfield::letters::Distortion d;
  d.shift = 0.5, d.thickness = 0.2, d.rotation = 3.0 * std::acos(-1.0) / 180.0, d.shear = 0.05, d.scale = 0.03;
  d.noise = noise;
  const std::size_t draws = 4000;
  std::vector<double> predicted(draws);
  for (std::size_t k = 0; k < draws; ++k) {
    Stream rng(2024, k, 0, Purpose::cue);
    const std::vector<std::int8_t> cue = hopfield::letters::render('A', 16, d, rng);
    const double m = overlap_with_stored(cue.data());
    predicted[k] = m > 0 ? 1.0 : m < 0 ? -1.0 : 0.0;  // a tie ends at +-xi with equal probability
  }
  double mean = 0, var = 0;
  for (double v : predicted) mean += v / static_cast<double>(draws);
  for (double v : predicted) var += (v - mean) * (v - mean) / static_cast<double>(draws - 1);
  const double reference_err = std::sqrt(var / static_cast<double>(draws));
  const double overlap = column(out, "overlap"), overlap_err = column(out, "overlap_err");
  const double combined = std::hypot(overlap_err, reference_err);
  INFO("kind overlap " << overlap << " +- " << overlap_err << ", two-basin prediction " << mean << " +- "
                       << reference_err);
  // Both errors are standard errors of +-1 outcomes over thousands of cues; bounded so a useless error bar cannot
  // make the comparison pass (the prediction lies well inside (-1, 1): the sign of m is not a foregone result).
  REQUIRE(combined < 0.03);
  REQUIRE(std::abs(mean) < 0.9);
  CHECK(std::abs(overlap - mean) < 4 * combined);
}

TEST_CASE("hopfield.capacity runs repeats, reports overlap and error fraction, and the AGS theory", "[hopfield]") {
  const auto cfg = parse("kind = 'hopfield.capacity'\nseed = 1\nrepeats = 4\nN = 400\n[sweep]\nalpha = [0.02, 0.3]\n");
  REQUIRE(cfg.tasks.size() == 2);
  const runner::TaskOutput low = runner::run_task(cfg, 0);
  // α = 0.02: a wrong bit needs crosstalk beyond √(N/P) = 7 standard deviations.
  CHECK(column(low, "overlap") == 1.0);
  CHECK(column(low, "error_fraction") == 0.0);
  const runner::TaskOutput high = runner::run_task(cfg, 1);
  CHECK(column(high, "overlap") < 0.9);
  CHECK(column(high, "error_fraction") == Approx((1 - column(high, "overlap")) / 2).margin(1e-12));
  CHECK(std::get<std::vector<double>>(array(high, "final_overlap").data).size() == 4);

  runner::TaskOutput theory;
  cfg.kind->theory(cfg.tasks, theory);
  const auto& a = std::get<std::vector<double>>(array(theory, "alpha").data);
  const auto& m = std::get<std::vector<double>>(array(theory, "overlap").data);
  REQUIRE(a.size() == m.size());
  CHECK(a.back() >= 0.3);
  for (std::size_t k = 0; k < a.size(); ++k) CHECK(m[k] == hopfield::ags::retrieval_overlap(a[k]));
}

TEST_CASE("hopfield kinds reject impossible parameter combinations naming the key", "[hopfield]") {
  CHECK(config_error("kind = 'hopfield.capacity'\nrule = 'pseudo-inverse'\nalpha = 1.5\n") == "alpha");
  CHECK(config_error("kind = 'hopfield.capacity'\nrule = 'storkey'\nN = 50000\n") == "N");
  CHECK(config_error("kind = 'hopfield.capacity'\nN = 100\nalpha = 0.001\n") == "alpha");
  CHECK(config_error("kind = 'hopfield.letters'\nletters = 4\nalphabet = 'ABC'\n") == "letters");
  CHECK(config_error("kind = 'hopfield.letters'\nalphabet = 'AbC'\n") == "alphabet");
  CHECK(config_error("kind = 'hopfield.letters'\nresolution = 8\n") == "resolution");
}
