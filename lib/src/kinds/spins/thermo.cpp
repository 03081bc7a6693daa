#include "spindiff/stats/thermo.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include "common.hpp"
#include "spindiff/mc/checkerboard_ising2d.hpp"
#include "spindiff/mc/parallel_tempering.hpp"
#include "spindiff/mc/single_spin.hpp"
#include "spindiff/mc/wolff.hpp"
#include "spindiff/stats/histogram.hpp"

namespace spindiff::runner::spins_kinds {
namespace {

// Everything measured over all repeats of one task (repeats are independent chains, concatenated).
struct Measurements {
  Measurements(std::size_t N, double T, std::size_t samples, std::size_t bins)
      : n(static_cast<double>(N)), series(N, T, samples), bins(bins) {}
  double n;
  stats::ThermoSeries series;
  stats::BinningAccumulator overlap;
  std::size_t bins;
  std::vector<double> warm_energies;  // from the thermalisation of repeat 0: fixes the histogram range
  std::unique_ptr<stats::Histogram> e_hist, m_hist;
  std::uint64_t accepted = 0, attempts = 0;

  void warm(double E) { warm_energies.push_back(E / n); }
  void measure(double E, double M, double ov) {
    if (!e_hist) {
      double lo = -1, hi = 1;
      if (!warm_energies.empty()) {
        const auto [a, b] = std::minmax_element(warm_energies.begin() + warm_energies.size() / 2, warm_energies.end());
        const double w = std::max(*b - *a, 1e-3);
        lo = *a - w, hi = *b + w;
      } else {
        lo = E / n - 1, hi = E / n + 1;
      }
      e_hist = std::make_unique<stats::Histogram>(bins, lo, hi);
      m_hist = std::make_unique<stats::Histogram>(bins, -1.0 - 1.0 / n, 1.0 + 1.0 / n);
    }
    series.add(E / n, M / n);
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
    const auto x = patterns->pattern(0);
    return spins::Config(x.begin(), x.end());
  }
  spins::Config s(n);
  for (auto& x : s) x = static_cast<spins::Spin>(rng.spin());
  return s;
}

// Progress after sweep t (thermalisation included) of `repeat`, reported every 256 sweeps.
void report_progress(const TaskContext& ctx, std::uint32_t repeat, std::int64_t t, std::int64_t per_repeat) {
  const double total = static_cast<double>(ctx.repeats) * static_cast<double>(per_repeat);
  if (t % 256 == 0) ctx.report((static_cast<double>(repeat) * static_cast<double>(per_repeat) + t) / total);
}

template <class M>
double overlap_of(const M& model, const spins::Replica<M>& r, const BuiltModel& b) {
  if constexpr (std::is_same_v<M, spins::PatternCouplings>) {
    return static_cast<double>(r.cache[0]) / static_cast<double>(model.size());
  } else {
    return b.patterns ? spins::overlap(*b.patterns, 0, r.spins) : NAN;
  }
}

// One chain (repeat) of a generic model.
template <class M>
void chain(const M& model, const BuiltModel& b, const Params& p, const TaskContext& ctx, std::uint32_t repeat,
           Measurements& out, TaskOutput& task_out) {
  const double T = p.real("T");
  const auto sweeps = p.integer("sweeps"), thermalize = p.integer("thermalize");
  const std::string algorithm = p.string("algorithm");
  const auto order = mc::parse_order(p.string("order"));
  Stream rng = ctx.stream(repeat, Purpose::dynamics);
  spins::Replica<M> r(model,
                      initial_state(p.string("init"), model.size(), b.patterns, ctx.stream(repeat, Purpose::init)));
  auto progress = [&](std::int64_t t) { report_progress(ctx, repeat, t, sweeps + thermalize); };
  std::vector<double> ladder = parallel_tempering(p) ? p.reals("pt_temperatures") : std::vector<double>{};
  if (algorithm == "wolff") {
    if constexpr (mc::WolffModel<M>) {
      mc::Wolff<M> wolff(model, T);
      for (std::int64_t t = 0; t < thermalize; ++t, progress(t)) {
        wolff.thermalize_sweep(r, rng);
        if (repeat == 0) out.warm(r.energy);
      }
      for (std::int64_t t = 0; t < sweeps; ++t, progress(thermalize + t)) {
        out.accepted += wolff.sweep(r, rng);
        out.attempts += static_cast<std::uint64_t>(wolff.clusters_per_sweep()) * model.size();
        out.measure(r.energy, static_cast<double>(r.magnetization), overlap_of(model, r, b));
      }
      task_out.attribute("clusters_per_sweep", static_cast<std::int64_t>(wolff.clusters_per_sweep()));
    } else {
      throw ConfigError("", "algorithm", "wolff needs a model with a bond list (ising, sk, edges)");
    }
    return;
  }
  const auto rule = mc::parse_rule(algorithm);
  if (!ladder.empty()) {
    ladder.push_back(T);
    std::sort(ladder.begin(), ladder.end());
    ladder.erase(std::unique(ladder.begin(), ladder.end()), ladder.end());
    const std::size_t slot = static_cast<std::size_t>(std::find(ladder.begin(), ladder.end(), T) - ladder.begin());
    mc::ParallelTempering<M> pt(model, ladder, rule, order);
    std::vector<spins::Replica<M>> walkers(ladder.size(), r);
    std::vector<Stream> rngs;
    for (std::size_t w = 0; w < ladder.size(); ++w) rngs.push_back(ctx.stream(repeat, Purpose::dynamics, w + 1));
    Stream ex = ctx.stream(repeat, Purpose::exchange);
    std::vector<std::uint64_t> acc(ladder.size(), 0);
    for (std::int64_t t = 0; t < thermalize; ++t, progress(t)) {
      pt.sweep(walkers, rngs, ex, acc);
      if (repeat == 0) out.warm(walkers[pt.walker_at(slot)].energy);
    }
    std::fill(acc.begin(), acc.end(), 0);
    for (std::int64_t t = 0; t < sweeps; ++t, progress(thermalize + t)) {
      pt.sweep(walkers, rngs, ex, acc);
      const auto& w = walkers[pt.walker_at(slot)];
      out.measure(w.energy, static_cast<double>(w.magnetization), overlap_of(model, w, b));
    }
    out.accepted += acc[slot];
    out.attempts += static_cast<std::uint64_t>(sweeps) * model.size();
    if (repeat == 0) {
      task_out.array("pt/temperatures", ladder);
      task_out.array("pt/exchange_acceptance", pt.exchange_acceptance());
      task_out.attribute("pt_round_trips", static_cast<std::int64_t>(pt.round_trips()));
    }
    return;
  }
  mc::SingleSpinUpdater<M> up(model, T, rule, order);
  for (std::int64_t t = 0; t < thermalize; ++t, progress(t)) {
    up.sweep(r, rng);
    if (repeat == 0) out.warm(r.energy);
  }
  for (std::int64_t t = 0; t < sweeps; ++t, progress(thermalize + t)) {
    out.accepted += up.sweep(r, rng);
    out.attempts += model.size();
    out.measure(r.energy, static_cast<double>(r.magnetization), overlap_of(model, r, b));
    if (t % 4096 == 4095) r.resync(model);  // drop floating-point drift of the running energy
  }
}

// The fast kernel: 2-D periodic lattice, even L, single-spin rule, checkerboard order.
bool fast_kernel_applies(const BuiltModel& b, const Params& p) {
  const auto* lat = std::get_if<spins::IsingLattice>(&b.model);
  return lat && lat->dim() == 2 && lat->boundary() == spins::Boundary::periodic && lat->L() % 2 == 0 &&
         p.string("algorithm") != "wolff" && p.string("order") == "checkerboard" && !parallel_tempering(p);
}

void fast_chain(const spins::IsingLattice& lat, const Params& p, const TaskContext& ctx, std::uint32_t repeat,
                Measurements& out) {
  Stream rng = ctx.stream(repeat, Purpose::dynamics);
  mc::CheckerboardIsing2D sim(lat.L(), lat.J(), lat.h(), p.real("T"), mc::parse_rule(p.string("algorithm")), rng);
  sim.set_spins(initial_state(p.string("init"), lat.size(), std::nullopt, ctx.stream(repeat, Purpose::init)));
  const auto sweeps = p.integer("sweeps"), thermalize = p.integer("thermalize");
  for (std::int64_t t = 0; t < thermalize + sweeps; ++t) {
    const std::uint64_t a = sim.sweep();
    if (t < thermalize) {
      if (repeat == 0 && t >= thermalize / 2) out.warm(sim.energy());
    } else {
      out.accepted += a;
      out.attempts += lat.size();
      out.measure(sim.energy(), static_cast<double>(sim.magnetization()), NAN);
    }
    report_progress(ctx, repeat, t, sweeps + thermalize);
  }
}

}  // namespace

void run_thermo(const BuiltModel& first, const Params& p, const TaskContext& ctx, TaskOutput& out) {
  const std::size_t N = std::visit([](const auto& m) { return m.size(); }, first.model);
  const auto repeats = static_cast<std::uint32_t>(std::max<std::int64_t>(1, ctx.repeats));
  Measurements meas(N, p.real("T"), static_cast<std::size_t>(p.integer("sweeps")) * repeats,
                    static_cast<std::size_t>(p.integer("histogram_bins")));
  for (std::uint32_t r = 0; r < repeats; ++r) {
    // Patterns are redrawn for every repeat (disorder average); other models are the same every repeat.
    const BuiltModel b = (r > 0 && first.patterns) ? build_model(p, ctx, r, nullptr) : first;
    if (fast_kernel_applies(b, p)) {
      fast_chain(std::get<spins::IsingLattice>(b.model), p, ctx, r, meas);
    } else {
      std::visit([&](const auto& m) { chain(m, b, p, ctx, r, meas, out); }, b.model);
    }
  }
  const stats::ThermoEstimates e = meas.series.estimates();
  out.scalar("energy", e.energy.value, e.energy.error);
  out.scalar("abs_magnetization", e.abs_magnetization.value, e.abs_magnetization.error);
  out.scalar("specific_heat", e.specific_heat.value, e.specific_heat.error);
  out.scalar("susceptibility", e.susceptibility.value, e.susceptibility.error);
  out.scalar("binder", e.binder.value, e.binder.error);
  out.scalar("tau_energy", e.tau_energy);
  out.scalar("acceptance",
             meas.attempts ? static_cast<double>(meas.accepted) / static_cast<double>(meas.attempts) : NAN);
  if (first.patterns) out.scalar("overlap", meas.overlap.mean(), meas.overlap.error());
  out.attribute("N", static_cast<std::int64_t>(N));
  out.attribute("converged", e.converged);
  out.attribute("tau_abs_magnetization", e.tau_abs_magnetization);
  out.attribute("magnetization_sq", e.magnetization_sq.value);
  out.attribute("jackknife_blocks", static_cast<std::int64_t>(e.jackknife_blocks));
  out.attribute("fast_kernel", fast_kernel_applies(first, p));
  if (first.patterns) out.attribute("tau_overlap", meas.overlap.tau_int());
  if (meas.e_hist) {
    out.array("histogram/energy_edges", meas.e_hist->edges());
    out.array("histogram/energy_counts", meas.e_hist->counts());
    out.array("histogram/magnetization_edges", meas.m_hist->edges());
    out.array("histogram/magnetization_counts", meas.m_hist->counts());
  }
}

}  // namespace spindiff::runner::spins_kinds
