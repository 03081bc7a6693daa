// langevin.escape: mean first-passage time of coordinate 0 from `start` to `target` (one well to the other),
// against the exact 1-D quadrature and Kramers' formula.
#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "langevin_kinds.hpp"
#include "spindiff/core/bytes.hpp"
#include "spindiff/langevin/exact.hpp"
#include "spindiff/langevin/first_passage.hpp"
#include "spindiff/runner/repeat_checkpoint.hpp"

namespace spindiff::runner::langevin_kinds {

namespace {

namespace sl = spindiff::langevin;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Coordinate 0 moves on its own only for separable potentials (and any 1-D one).
bool one_dimensional_law(const sl::Potential& pot) {
  return sl::potential_dim(pot) == 1 || std::holds_alternative<sl::Harmonic>(pot) ||
         std::holds_alternative<sl::DoubleWell>(pot);
}

struct Kramers {
  double curvature_min = kNaN, curvature_barrier = kNaN, barrier = kNaN;
};

// Minimum of U between start and the barrier, barrier = maximum of U between start and target, curvatures by
// central differences at both (grid search, then a parabola through the neighbours).
Kramers kramers_geometry(const std::function<double(double)>& U, double start, double target) {
  const int n = 20000;
  auto argext = [&](double a, double b, bool maximum) {
    double best_x = a, best = maximum ? -1e300 : 1e300;
    for (int i = 0; i <= n; ++i) {
      const double x = a + (b - a) * i / n, u = U(x);
      if (maximum ? u > best : u < best) best = u, best_x = x;
    }
    return best_x;
  };
  const double xb = argext(start, target, true);
  const double span = std::abs(target - start);
  const double xm = argext(start - 0.5 * span * (target > start ? 1 : -1), xb, false);
  const double h = 1e-4 * span;
  auto second = [&](double x) { return (U(x + h) - 2 * U(x) + U(x - h)) / (h * h); };
  return {second(xm), second(xb), U(xb) - U(xm)};
}

void validate(const Params& p) {
  const sl::Potential pot = potential_from(p);
  if (!one_dimensional_law(pot))
    throw ConfigError("", "potential",
                      "langevin.escape follows coordinate 0: use a 1-D potential or a separable one (harmonic, "
                      "double_well)");
  if (p.real("start") == p.real("target")) throw ConfigError("", "target", "must differ from start");
  // A step unstable at the starting minimum itself diverges (or jumps across) from the first steps.
  const double dt = p.real("dt");
  auto U0 = [&](double x) { return sl::potential_marginal_energy(pot, x); };
  const double curvature = kramers_geometry(U0, p.real("start"), p.real("target")).curvature_min;
  const std::string method = p.string("integrator");
  const double stability = method == "euler"   ? dt * curvature / p.real("gamma")
                           : method == "baoab" ? dt * std::sqrt(std::max(0.0, curvature) / p.real("mass"))
                                               : 0.0;
  if (stability >= 2.0)
    throw ConfigError("", "dt",
                      fmt::format("{} is unstable at the well: dt x curvature {} = {:.3g} must stay below 2", method,
                                  method == "euler" ? "/ gamma" : "^(1/2) / mass^(1/2)", stability));
  // The step count max_time / dt must be a number the loop can reach (no overflowing cast to int64).
  if (p.real("max_time") > 0) {
    if (!(p.real("max_time") / dt <= sl::max_escape_steps))
      throw ConfigError("", "max_time",
                        fmt::format("max_time / dt = {:.3g} steps exceeds the limit of 2^53 steps; lower max_time "
                                    "or raise dt",
                                    p.real("max_time") / dt));
    return;
  }
  auto U = [&](double x) { return sl::potential_marginal_energy(pot, x); };
  const double automatic = 25.0 * sl::mfpt_exact_1d(U, p.real("T"), p.real("start"), p.real("target"), p.real("gamma"));
  if (!(automatic / dt <= sl::max_escape_steps))
    throw ConfigError("", "T",
                      fmt::format("the automatic censoring time 25 x the exact MFPT = {:.3g} is {:.3g} steps of dt, "
                                  "beyond the limit of 2^53 steps; raise T or set max_time",
                                  automatic, automatic / dt));
}

void run(const Params& p, const TaskContext& ctx, TaskOutput& out) {
  const sl::Potential pot = potential_from(p);
  const double T = p.real("T"), gamma = p.real("gamma");
  const double start = p.real("start"), target = p.real("target");
  auto U = [&](double x) { return sl::potential_marginal_energy(pot, x); };
  const double exact = sl::mfpt_exact_1d(U, T, start, target, gamma);
  const Kramers geo = kramers_geometry(U, start, target);
  const double kramers = geo.barrier > 0 && geo.curvature_min > 0 && geo.curvature_barrier < 0
                             ? sl::mfpt_kramers(geo.curvature_min, geo.curvature_barrier, geo.barrier, T, gamma)
                             : kNaN;

  sl::EscapeSettings s;
  s.method = sl::parse_method(p.string("integrator"));
  s.dyn = {T, p.real("dt"), gamma, p.real("mass")};
  s.particles = p.integer("particles");
  s.start = start;
  s.target = target;
  s.max_time = p.real("max_time") > 0 ? p.real("max_time") : 25.0 * exact;  // censors a fraction ~e^-25
  s.threads = static_cast<int>(p.integer("threads"));

  std::vector<double> times;
  std::int64_t censored = 0, diverged = 0;
  // A checkpoint: the repeat, what the repeats before it gave, then the state of its particles.
  constexpr std::uint32_t tag = 0x4C455331;  // "LES1"
  Bytes run_state;
  const std::int64_t first_repeat =
      runner::restore_repeat_checkpoint(ctx, tag, "langevin.escape", times, censored, diverged, run_state);
  for (std::int64_t r = first_repeat; r < ctx.repeats; ++r) {
    sl::SamplerCheckpoints checkpoints;
    checkpoints.due = [&] { return ctx.checkpoint_due(); };
    checkpoints.save = [&](Bytes&& state) {
      runner::save_repeat_checkpoint(ctx, tag, r, times, censored, diverged, state);
    };
    if (r == first_repeat && !run_state.empty()) checkpoints.restored = &run_state;
    const auto res = sl::first_passage_times(
        pot, s, ctx.stream(static_cast<std::uint32_t>(r), Purpose::dynamics),
        [&](double f) { ctx.report((static_cast<double>(r) + f) / static_cast<double>(ctx.repeats)); }, &checkpoints);
    times.insert(times.end(), res.times.begin(), res.times.end());
    censored += res.censored;
    diverged += res.diverged;
  }
  if (diverged > 0)
    out.warning(
        fmt::format("{} of {} trajectories diverged (non-finite position): lower dt; mfpt averages the "
                    "others",
                    diverged, times.size()));
  sl::EscapeResult all;
  all.times = times;
  out.scalar("mfpt", all.mean(), all.standard_error());
  out.scalar("mfpt_exact", exact);
  out.scalar("mfpt_kramers", kramers);
  out.scalar("censored", static_cast<double>(censored));
  out.scalar("diverged", static_cast<double>(diverged));
  out.attribute("barrier", Value(geo.barrier));
  out.attribute("curvature_min", Value(geo.curvature_min));
  out.attribute("curvature_barrier", Value(geo.curvature_barrier));
  out.attribute("max_time", Value(s.max_time));
  out.array("first_passage_times", std::move(times))
      .doc("one per particle (repeat-major); inf = not arrived, nan = diverged");
}

}  // namespace

Kind escape_kind() {
  Kind k;
  k.name = "langevin.escape";
  k.summary = "mean first-passage time between wells vs T, with the exact 1-D quadrature and Kramers' formula";
  k.params = potential_params();
  const std::vector<ParamSpec> own = {
      summary(real_param("T", 0.25, 1e-6, 1e6, "temperature (k_B = 1)")),
      real_param("dt", 1e-3, 1e-9, 1e3, "time step"),
      real_param("gamma", 1.0, 1e-9, 1e9, "friction coefficient"),
      real_param("mass", 1.0, 1e-9, 1e9, "particle mass (baoab)"),
      choice_param("integrator", "euler", {"euler", "mala", "baoab"},
                   "euler / mala: overdamped (the exact MFPT applies); baoab: underdamped"),
      integer_param("particles", 10000, 1.0, 1e8, "independent particles"),
      real_param("start", -1.0, std::nullopt, std::nullopt, "starting point of every coordinate (left minimum)"),
      real_param("target", 1.0, std::nullopt, std::nullopt, "passage when coordinate 0 reaches this point"),
      real_param("max_time", 0.0, 0.0, std::nullopt, "censoring time; 0 = 25 x the exact MFPT"),
      integer_param("threads", 1, 1.0, 256.0, "threads inside the task (results do not depend on it)"),
  };
  k.params.insert(k.params.end(), own.begin(), own.end());
  k.validate = validate;
  k.run = run;
  k.cost = [](const Params& p) {
    return static_cast<double>(p.integer("particles")) * std::exp(0.25 / p.real("T")) / p.real("dt");
  };
  k.results = {
      result("mfpt", "mean first-passage time from `start` to `target` over the particles", "time"),
      exact_result("mfpt_exact", "exact 1-D mean first-passage time (quadrature; overdamped)", "time"),
      exact_result("mfpt_kramers", "Kramers' high-barrier approximation of the escape time", "time"),
      exact_result("censored", "particles that had not arrived by `max_time`", "particles"),
      exact_result("diverged", "trajectories that left every finite value (too large dt)", "particles"),
  };
  return k;
}

}  // namespace spindiff::runner::langevin_kinds
