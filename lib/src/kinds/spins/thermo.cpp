// The non-template parts of the thermo kinds' measurement (thermo_chain.hpp).
#include <fmt/format.h>

#include <cmath>

#include "spindiff/stats/autocorrelation.hpp"
#include "thermo_chain.hpp"

namespace spindiff::runner::spins_kinds {

namespace {
// The series kept per repeat for the integrated autocorrelation times: at most this many points.
constexpr std::size_t kMaxTauSamples = std::size_t{1} << 21;

// tau_int in sweeps of one repeat's series (Sokal's window, c = 6; Madras-Sokal error), about `mean`.
stats::AutocorrelationTime tau_in_sweeps(const std::vector<double>& x, double mean, std::size_t stride) {
  stats::AutocorrelationTime t;
  t.tau = t.error = NAN;
  if (x.size() < 4) return t;
  stats::PooledAutocovariance cov(x.size() / 2);
  cov.add(x, mean);
  t = cov.time(6.0);
  t.tau *= static_cast<double>(stride);
  t.error *= static_cast<double>(stride);
  return t;
}
}  // namespace

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

Measurements make_measurements(std::size_t N, const Params& p, const TaskContext& ctx) {
  const auto repeats = static_cast<std::size_t>(std::max<std::int64_t>(1, ctx.repeats));
  Measurements meas(N, p.real("T"), static_cast<std::size_t>(p.integer("sweeps")) * repeats,
                    static_cast<std::size_t>(p.integer("histogram_bins")));
  const auto sweeps = static_cast<std::size_t>(p.integer("sweeps"));
  meas.stride = (sweeps + kMaxTauSamples - 1) / kMaxTauSamples;
  return meas;
}

void report_autocorrelation_times(const Params& p, const Measurements& meas, TaskOutput& out) {
  // Signed magnetisation about 0 at zero field (the spin flip maps m to -m), else about the sample mean; the
  // energy about the sample mean.
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

void write_thermo_summary(const Measurements& meas, std::size_t N, bool fast_kernel, bool patterns, TaskOutput& out) {
  const stats::ThermoEstimates e = meas.series.estimates();
  out.scalar("energy", e.energy.value, e.energy.error);
  out.scalar("abs_magnetization", e.abs_magnetization.value, e.abs_magnetization.error);
  out.scalar("specific_heat", e.specific_heat.value, e.specific_heat.error);
  out.scalar("susceptibility", e.susceptibility.value, e.susceptibility.error);
  out.scalar("binder", e.binder.value, e.binder.error);
  out.scalar("acceptance",
             meas.attempts ? static_cast<double>(meas.accepted) / static_cast<double>(meas.attempts) : NAN);
  if (patterns) out.scalar("overlap", meas.overlap.mean(), meas.overlap.error());
  out.attribute("N", static_cast<std::int64_t>(N));
  out.attribute("converged", e.converged);
  out.attribute("tau_abs_magnetization", e.tau_abs_magnetization);
  out.attribute("magnetization_sq", e.magnetization_sq.value);
  out.attribute("jackknife_blocks", static_cast<std::int64_t>(e.jackknife_blocks));
  out.attribute("fast_kernel", fast_kernel);
  if (patterns) out.attribute("tau_overlap", meas.overlap.tau_int());
  if (meas.e_hist) {
    out.array("histogram/energy_edges", meas.e_hist->edges());
    out.array("histogram/energy_counts", meas.e_hist->counts());
    out.array("histogram/magnetization_edges", meas.m_hist->edges());
    out.array("histogram/magnetization_counts", meas.m_hist->counts());
  }
}

}  // namespace spindiff::runner::spins_kinds
