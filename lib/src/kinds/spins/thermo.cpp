#include "spindiff/stats/thermo.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "common.hpp"
#include "spindiff/mc/chain.hpp"
#include "spindiff/mc/moves.hpp"
#include "spindiff/stats/autocorrelation.hpp"
#include "spindiff/stats/histogram.hpp"

namespace spindiff::runner::spins_kinds {
namespace {

// The series kept per repeat for the integrated autocorrelation times: at most this many points, every
// `stride`-th measured sweep (thinning by k sweeps biases tau by about (k / tau)^2 / 12 for an exponential decay).
constexpr std::size_t kMaxTauSamples = std::size_t{1} << 21;

// tau_int in sweeps of one repeat's series (Sokal's window, c = 6; Madras-Sokal error), about `mean`.
stats::AutocorrelationTime tau_in_sweeps(const std::vector<double>& x, double mean, std::size_t stride) {
  stats::PooledAutocovariance cov(x.size() / 2);
  stats::AutocorrelationTime t;
  t.tau = t.error = NAN;
  if (x.size() < 4) return t;
  cov.add(x, mean);
  t = cov.time(6.0);
  t.tau *= static_cast<double>(stride);
  t.error *= static_cast<double>(stride);
  return t;
}

// Everything measured over all repeats of one task (repeats are independent chains, concatenated).
struct Measurements {
  Measurements(std::size_t N, double T, std::size_t samples, std::size_t bins)
      : n(static_cast<double>(N)), series(N, T, samples), bins(bins) {}
  double n;
  stats::ThermoSeries series;
  stats::BinningAccumulator overlap;
  std::size_t bins;
  std::vector<double> warm_energies;  // from the end of the thermalisation of repeat 0: the histogram range
  std::optional<stats::Histogram> e_hist, m_hist;
  std::uint64_t accepted = 0, attempts = 0;
  std::size_t stride = 1, measured = 0;  // thinning of the per-repeat series below
  std::vector<double> e_series, m_series;

  void warm(double E) { warm_energies.push_back(E / n); }
  void measure(double E, double M, double ov) {
    if (!e_hist) {
      double lo = -1, hi = 1;
      if (!warm_energies.empty()) {
        const auto [a, b] = std::minmax_element(warm_energies.begin(), warm_energies.end());
        const double w = std::max(*b - *a, 1e-3);
        lo = *a - w, hi = *b + w;
      } else {
        lo = E / n - 1, hi = E / n + 1;
      }
      e_hist.emplace(bins, lo, hi);
      m_hist.emplace(bins, -1.0 - 1.0 / n, 1.0 + 1.0 / n);
    }
    series.add(E / n, M / n);
    if (measured++ % stride == 0) {
      e_series.push_back(E / n);
      m_series.push_back(M / n);
    }
    e_hist->fill(E / n);
    m_hist->fill(M / n);
    if (!std::isnan(ov)) overlap.add(ov);
  }
};

spins::Config initial_state(const std::string& init, std::size_t n, const std::optional<spins::Patterns>& patterns,
                            Stream rng) {
  if (init == "up") return spins::Config(n, 1);
  if (init == "pattern") {
    if (!patterns) throw ConfigError("", "init", "init = pattern needs model = hopfield");
    return patterns->pattern(0);
  }
  spins::Config s(n);
  for (auto& x : s) x = static_cast<spins::Spin>(rng.spin());
  return s;
}

// Progress after `done` sweeps (thermalisation included) of `repeat`, reported every 256 sweeps.
void report_progress(const TaskContext& ctx, std::uint32_t repeat, std::int64_t done, std::int64_t per_repeat) {
  const double total = static_cast<double>(ctx.repeats) * static_cast<double>(per_repeat);
  if (done % 256 == 0) ctx.report((static_cast<double>(repeat) * static_cast<double>(per_repeat) + done) / total);
}

// The retrieval overlap m_0 where the model stores patterns (its cache holds the overlaps), else NaN.
template <class Observed>
double overlap_of(const Observed& x) {
  if constexpr (std::is_same_v<Observed, spins::Replica<spins::PatternCouplings>>)
    return static_cast<double>(x.cache[0]) / static_cast<double>(x.spins.size());
  else
    return NAN;
}

// The packed kernels, and the name the task's `kernel` attribute gives the move that ran.
template <class Move>
constexpr bool packed_kernel() {
  return std::is_same_v<Move, mc::CheckerboardSweep> || std::is_same_v<Move, mc::MultiSpinSweep>;
}
template <class Move>
const char* kernel_name() {
  if constexpr (std::is_same_v<Move, mc::MultiSpinSweep>) return "multispin";
  if constexpr (std::is_same_v<Move, mc::CheckerboardSweep>) return "bytes";
  return "generic";
}

// First thermalisation sweep whose energy fixes the histogram range: the second half of the thermalisation,
// the last quarter for the packed kernel (whose energy costs a pass over the lattice) as it always had.
template <class Move>
std::int64_t warm_range_from(std::int64_t thermalize) {
  const std::int64_t half = thermalize / 2;
  return packed_kernel<Move>() ? half + (thermalize - half) / 2 : half;
}

// What some moves report besides the summary.
template <class Move>
void report_move(const Move& move, std::uint32_t repeat, TaskOutput& out) {
  if constexpr (requires { move.clusters_per_sweep(); })
    out.attribute("clusters_per_sweep", static_cast<std::int64_t>(move.clusters_per_sweep()));
  if constexpr (requires { move.exchange_acceptance(); }) {
    if (repeat == 0) {
      out.array("pt/temperatures", move.temperatures());
      out.array("pt/exchange_acceptance", move.exchange_acceptance());
      out.attribute("pt_round_trips", static_cast<std::int64_t>(move.round_trips()));
    }
  }
}

// One chain (repeat) of any model with the move the parameters select. Returns whether it ran on the packed
// kernel.
template <class M>
bool chain(const M& model, const BuiltModel& b, const Params& p, const TaskContext& ctx, std::uint32_t repeat,
           Measurements& meas, TaskOutput& out) {
  auto any_move = make_move(p, model);
  return std::visit(
      [&](auto& move) {
        using Move = std::decay_t<decltype(move)>;
        const spins::Config init =
            initial_state(p.string("init"), model.size(), b.patterns, ctx.stream(repeat, Purpose::init));
        auto [state, stream] =
            move.start(init, [&](Purpose purpose, std::uint64_t sub) { return ctx.stream(repeat, purpose, sub); });
        const mc::Schedule schedule{p.integer("thermalize"), p.integer("sweeps")};
        const std::int64_t warm_from = warm_range_from<Move>(schedule.thermalize);
        auto measure = [&](const auto& x, std::int64_t t) {
          if (t >= schedule.thermalize)
            meas.measure(mc::energy(x), static_cast<double>(mc::magnetization(x)), overlap_of(x));
          else if (repeat == 0 && t >= warm_from)
            meas.warm(mc::energy(x));
        };
        auto progress = [&](const mc::Cursor& c) { report_progress(ctx, repeat, c.sweep, schedule.total()); };
        const mc::Cursor end = mc::run_chain(model, move, schedule, state, stream, measure, progress);
        meas.accepted += end.accepted;
        meas.attempts += end.attempts;
        report_move(move, repeat, out);
        if constexpr (std::is_same_v<Move, mc::MultiSpinSweep>) out.attribute("kernel_isa", state.implementation());
        out.attribute("kernel", std::string(kernel_name<Move>()));
        return packed_kernel<Move>();
      },
      any_move);
}

// tau_int of the signed magnetisation (about 0 at zero field, where the spin flip maps m to -m; else about the
// sample mean) and of the energy (about the sample mean), one sample per repeat.
void report_autocorrelation_times(const Params& p, const Measurements& meas, TaskOutput& out) {
  const bool symmetric = !p.has("h") || p.real("h") == 0.0;
  auto mean = [](const std::vector<double>& x) {
    double s = 0;
    for (double v : x) s += v;
    return x.empty() ? 0.0 : s / static_cast<double>(x.size());
  };
  const stats::AutocorrelationTime tm =
      tau_in_sweeps(meas.m_series, symmetric ? 0.0 : mean(meas.m_series), meas.stride);
  const stats::AutocorrelationTime te = tau_in_sweeps(meas.e_series, mean(meas.e_series), meas.stride);
  for (const auto& [name, t] : {std::pair{"tau_magnetization", tm}, std::pair{"tau_energy", te}}) {
    if (std::isnan(t.tau))
      out.warning(fmt::format("{}: no self-consistent window (W >= 6 tau) within the run: sweeps too few", name));
    else if (meas.stride > 1 && t.tau < 4.0 * static_cast<double>(meas.stride))
      out.warning(fmt::format("{}: {:.3g} sweeps is below the resolution of the series kept (every {} sweeps)", name,
                              t.tau, meas.stride));
    out.sample(name, t.tau, t.error);
  }
}

}  // namespace

void run_thermo(const BuiltModel& first, const Params& p, const TaskContext& ctx, TaskOutput& out) {
  const std::size_t N = std::visit([](const auto& m) { return m.size(); }, first.model);
  const auto repeats = static_cast<std::uint32_t>(std::max<std::int64_t>(1, ctx.repeats));
  Measurements meas(N, p.real("T"), static_cast<std::size_t>(p.integer("sweeps")) * repeats,
                    static_cast<std::size_t>(p.integer("histogram_bins")));
  const auto sweeps = static_cast<std::size_t>(p.integer("sweeps"));
  meas.stride = (sweeps + kMaxTauSamples - 1) / kMaxTauSamples;
  bool fast_kernel = false;
  for (std::uint32_t r = 0; r < repeats; ++r) {
    // Patterns are redrawn for every repeat (disorder average); other models are the same every repeat.
    const BuiltModel b = (r > 0 && first.patterns) ? build_model(p, ctx, r, nullptr) : first;
    meas.measured = 0;
    meas.e_series.clear();
    meas.m_series.clear();
    fast_kernel = std::visit([&](const auto& m) { return chain(m, b, p, ctx, r, meas, out); }, b.model);
    report_autocorrelation_times(p, meas, out);
  }
  const stats::ThermoEstimates e = meas.series.estimates();
  out.scalar("energy", e.energy.value, e.energy.error);
  out.scalar("abs_magnetization", e.abs_magnetization.value, e.abs_magnetization.error);
  out.scalar("specific_heat", e.specific_heat.value, e.specific_heat.error);
  out.scalar("susceptibility", e.susceptibility.value, e.susceptibility.error);
  out.scalar("binder", e.binder.value, e.binder.error);
  out.scalar("acceptance",
             meas.attempts ? static_cast<double>(meas.accepted) / static_cast<double>(meas.attempts) : NAN);
  if (first.patterns) out.scalar("overlap", meas.overlap.mean(), meas.overlap.error());
  out.attribute("N", static_cast<std::int64_t>(N));
  out.attribute("converged", e.converged);
  out.attribute("tau_abs_magnetization", e.tau_abs_magnetization);
  out.attribute("magnetization_sq", e.magnetization_sq.value);
  out.attribute("jackknife_blocks", static_cast<std::int64_t>(e.jackknife_blocks));
  out.attribute("fast_kernel", fast_kernel);
  if (first.patterns) out.attribute("tau_overlap", meas.overlap.tau_int());
  if (meas.e_hist) {
    out.array("histogram/energy_edges", meas.e_hist->edges());
    out.array("histogram/energy_counts", meas.e_hist->counts());
    out.array("histogram/magnetization_edges", meas.m_hist->edges());
    out.array("histogram/magnetization_counts", meas.m_hist->counts());
  }
}

}  // namespace spindiff::runner::spins_kinds
