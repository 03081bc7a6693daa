// The non-template parts of the thermo kinds' measurement (thermo_chain.hpp).
#include "thermo_chain.hpp"

namespace spindiff::runner::spins_kinds {

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
  return Measurements(N, p.real("T"), static_cast<std::size_t>(p.integer("sweeps")) * repeats,
                      static_cast<std::size_t>(p.integer("histogram_bins")));
}

void write_thermo_summary(const Measurements& meas, std::size_t N, bool fast_kernel, bool patterns, TaskOutput& out) {
  const stats::ThermoEstimates e = meas.series.estimates();
  out.scalar("energy", e.energy.value, e.energy.error);
  out.scalar("abs_magnetization", e.abs_magnetization.value, e.abs_magnetization.error);
  out.scalar("specific_heat", e.specific_heat.value, e.specific_heat.error);
  out.scalar("susceptibility", e.susceptibility.value, e.susceptibility.error);
  out.scalar("binder", e.binder.value, e.binder.error);
  out.scalar("tau_energy", e.tau_energy);
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
