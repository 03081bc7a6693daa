// hopfield.capacity: random patterns at load α = P/N; start at a stored pattern, relax asynchronously
// at T = 0 to a fixed point, measure the final overlap. Compared with the AGS theory curve in /theory.
#include <algorithm>
#include <cmath>
#include <limits>

#include "hopfield_kinds.hpp"
#include "spindiff/hopfield/ags.hpp"
#include "spindiff/hopfield/network.hpp"

namespace spindiff::runner::hopfield_kinds {

namespace {

using namespace spindiff::hopfield;

// Largest N for a dense W (N² doubles): 10^4 is 800 MB.
constexpr std::int64_t kMaxDenseN = 10000;

std::size_t num_patterns(const Params& p) {
  return static_cast<std::size_t>(std::llround(p.real("alpha") * static_cast<double>(p.integer("N"))));
}

void validate(const Params& p) {
  const std::int64_t N = p.integer("N");
  const std::size_t P = num_patterns(p);
  if (P < 1) throw ConfigError("", "alpha", "P = round(alpha * N) must be at least 1");
  if (static_cast<std::size_t>(p.integer("starts")) > P)
    throw ConfigError("", "starts",
                      "at most P = round(alpha * N) = " + std::to_string(P) + " stored patterns to start from");
  const std::string& rule = p.string("rule");
  if (rule == "hebb") {
    if (static_cast<double>(N) * static_cast<double>(P) >= 2147483648.0)
      throw ConfigError(
          "", "N",
          "the Hebb pattern form needs N * P < 2^31 (here " + std::to_string(N) + " * " + std::to_string(P) + ")");
  } else {
    if (N > kMaxDenseN)
      throw ConfigError("", "N", "rule '" + rule + "' builds a dense W: N at most " + std::to_string(kMaxDenseN));
    if (rule == "pseudo-inverse" && static_cast<std::int64_t>(P) > N)
      throw ConfigError("", "alpha", "the pseudo-inverse rule stores at most N patterns (alpha <= 1)");
  }
}

void run(const Params& p, const TaskContext& ctx, TaskOutput& out) {
  const auto N = static_cast<std::size_t>(p.integer("N"));
  const std::size_t P = num_patterns(p);
  const auto starts = static_cast<std::size_t>(p.integer("starts"));
  const auto repeats = static_cast<std::size_t>(ctx.repeats);
  const Rule rule = parse_rule(p.string("rule"));
  DynamicsOptions options;
  options.max_sweeps = static_cast<std::size_t>(p.integer("max_sweeps"));
  options.record_overlaps = false;

  std::vector<double> overlap;
  std::vector<std::int64_t> sweeps, converged;
  for (std::size_t r = 0; r < repeats; ++r) {
    Stream pattern_rng = ctx.stream(static_cast<std::uint32_t>(r), Purpose::patterns);
    const Network net(random_patterns(N, P, p.real("bias"), pattern_rng), rule);
    double sum = 0;
    for (std::size_t mu = 0; mu < starts; ++mu) {
      Stream dyn = ctx.stream(static_cast<std::uint32_t>(r), Purpose::dynamics, mu);
      const std::vector<std::int8_t> xi = net.patterns().pattern(mu);
      const Recall rec = net.recall(xi, options, dyn);
      std::int64_t dot = 0;
      for (std::size_t i = 0; i < N; ++i) dot += xi[i] * rec.state[i];
      const double m = static_cast<double>(dot) / static_cast<double>(N);
      overlap.push_back(m);
      sum += m;
      sweeps.push_back(static_cast<std::int64_t>(rec.trajectory.sweeps));
      converged.push_back(rec.trajectory.converged);
      ctx.report(static_cast<double>(overlap.size()) / static_cast<double>(repeats * starts));
    }
    // Starts within a repeat share the patterns; the independent units are the repeats.
    const double repeat_overlap = sum / static_cast<double>(starts);
    out.sample("overlap", repeat_overlap);
    out.sample("error_fraction", 0.5 * (1.0 - repeat_overlap));
  }
  out.attribute("P", Value(static_cast<std::int64_t>(P)));
  // The AGS overlap is the theory of unbiased patterns under the Hebb rule; elsewhere there is none.
  const bool ags_applies = rule == Rule::hebb && p.real("bias") == 0.0;
  out.attribute("overlap_theory", Value(ags_applies ? ags::retrieval_overlap(static_cast<double>(P) / N)
                                                    : std::numeric_limits<double>::quiet_NaN()));
  out.array("final_overlap", std::move(overlap)).doc("one entry per (repeat, start), repeat-major");
  out.array("sweeps", std::move(sweeps));
  out.array("converged", std::move(converged));
}

// The AGS T = 0 retrieval overlap on a grid covering the swept loads (Hebb rule).
void theory(std::span<const Params> tasks, TaskOutput& out) {
  double top = 0.2;
  for (const Params& p : tasks) top = std::max(top, 1.1 * p.real("alpha"));
  const ags::Critical c = ags::critical();
  std::vector<double> alpha, m, err;
  const int n = 500;
  for (int k = 0; k <= n; ++k) alpha.push_back(top * k / n);
  alpha.push_back(c.alpha * (1 - 1e-12));  // both sides of the jump at α_c
  alpha.push_back(c.alpha);
  std::sort(alpha.begin(), alpha.end());
  for (double a : alpha) {
    m.push_back(ags::retrieval_overlap(a));
    err.push_back(0.5 * (1.0 - m.back()));
  }
  out.array("alpha", std::move(alpha));
  out.array("overlap", std::move(m));
  out.array("error_fraction", std::move(err));
  out.attribute("alpha_c", Value(c.alpha));
  out.attribute("m_c", Value(c.m));
  out.attribute("doc",
                Value(std::string("Amit-Gutfreund-Sompolinsky replica-symmetric T = 0 retrieval overlap, Hebb rule, "
                                  "unbiased patterns (bias = 0) only")));
}

}  // namespace

Kind capacity_kind() {
  Kind k;
  k.name = "hopfield.capacity";
  k.summary = "storage capacity: final overlap after T = 0 recall from a stored random pattern vs load alpha";
  k.params = {
      summary(integer_param("N", 1000, 10.0, 1000000.0, "number of spins")),
      summary(real_param("alpha", 0.1, 0.0, 2.0, "load; P = round(alpha * N) stored patterns")),
      choice_param("rule", "hebb", {"hebb", "pseudo-inverse", "storkey"},
                   "learning rule (hebb runs in the pattern form and never builds W)"),
      real_param("bias", 0.0, -1.0, 1.0, "pattern bias b: P(xi = +1) = (1 + b) / 2"),
      integer_param("starts", 1, 1.0, 100000.0, "stored patterns used as starting points per repeat"),
      integer_param("max_sweeps", 100, 1.0, 100000.0, "stop after this many sweeps if no fixed point is reached"),
  };
  k.validate = validate;
  k.run = run;
  k.theory = theory;
  k.cost = [](const Params& p) {
    const double N = static_cast<double>(p.integer("N"));
    const double work = N * std::max(1.0, p.real("alpha") * N);
    return p.string("rule") == "hebb" ? work : work + N * N * N * 1e-2;
  };
  k.results = {
      result("overlap", "final overlap m with the stored pattern the recall started from (T = 0 dynamics)"),
      result("error_fraction", "fraction of wrong bits in the recalled state, (1 - overlap) / 2"),
  };
  return k;
}

}  // namespace spindiff::runner::hopfield_kinds
