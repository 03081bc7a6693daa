#pragma once
// The Monte Carlo measurement of the thermo kinds for any spin model type: the chain of one repeat (with the move
// the parameters select) and the loop over repeats. Templates over the model, so the table of models
// (model_table.hpp) instantiates them once per model.
#include <algorithm>
#include <cmath>
#include <optional>
#include <type_traits>

#include "common.hpp"
#include "spindiff/core/bytes.hpp"
#include "spindiff/mc/chain.hpp"
#include "spindiff/mc/moves.hpp"
#include "spindiff/stats/histogram.hpp"
#include "spindiff/stats/thermo.hpp"
#include "thermo_replicas.hpp"

namespace spindiff::runner::spins_kinds {

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
  // This repeat's energy and magnetisation per spin, every `stride`-th measured sweep, for the autocorrelation
  // times (thinning by k sweeps biases tau by about (k / tau)^2 / 12 for an exponential decay).
  std::size_t stride = 1, measured = 0;
  std::vector<double> e_series, m_series;

  template <class Archive>
  void fields(Archive& ar) {
    ar(n, series, overlap, bins, warm_energies, e_hist, m_hist, accepted, attempts, stride, measured, e_series,
       m_series);
  }

  void start_repeat() {
    measured = 0;
    e_series.clear();
    m_series.clear();
  }
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
                            Stream rng);

// Progress after `done` sweeps (thermalisation included) of `repeat`, reported every 256 sweeps.
void report_progress(const TaskContext& ctx, std::uint32_t repeat, std::int64_t done, std::int64_t per_repeat);

// The measurements of a task with N spins, sized for all its repeats.
Measurements make_measurements(std::size_t N, const Params& p, const TaskContext& ctx);
// tau_magnetization and tau_energy of the repeat just run: integrated autocorrelation times in sweeps (Sokal's
// window, c = 6; Madras-Sokal error), one sample per repeat.
void report_autocorrelation_times(const Params& p, const Measurements& meas, TaskOutput& out);
// The equilibrium summary columns (plus the overlap when the model stores patterns) and histograms.
void write_thermo_summary(const Measurements& meas, std::size_t N, bool fast_kernel, bool patterns, TaskOutput& out);

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

// A checkpoint: the repeat and its cursor, the measurements so far, then the move, the chain state and its
// stream (read by the chain of that repeat).
inline constexpr std::uint32_t kThermoCheckpointTag = 0x54485231;  // "THR1"
struct Resume {
  std::uint32_t repeat = 0;
  mc::Cursor cursor;
  ByteReader reader;
};

// One chain (repeat) of any model with the move the parameters select. Returns whether it ran on the packed
// kernel.
template <class M>
bool chain(const M& model, const std::optional<spins::Patterns>& patterns, const Params& p, const TaskContext& ctx,
           std::uint32_t repeat, Measurements& meas, TaskOutput& out, Resume* resume) {
  auto any_move = make_move(p, model);
  return std::visit(
      [&](auto& move) {
        using Move = std::decay_t<decltype(move)>;
        const spins::Config init =
            initial_state(p.string("init"), model.size(), patterns, ctx.stream(repeat, Purpose::init));
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
        mc::Cursor from;
        if (resume) {
          resume->reader(move, state, stream);
          from = resume->cursor;
        }
        auto hook = [&](const mc::Cursor& c) {
          report_progress(ctx, repeat, c.sweep, schedule.total());
          if (ctx.checkpoint_due()) {
            ByteWriter w;
            w.tag(kThermoCheckpointTag);
            w(repeat, c, meas, move, state, stream);
            ctx.save_checkpoint(std::move(w).bytes());
          }
        };
        const mc::Cursor end = mc::run_chain(model, move, schedule, state, stream, measure, hook, from);
        meas.accepted += end.accepted;
        meas.attempts += end.attempts;
        report_move(move, repeat, out);
        if constexpr (std::is_same_v<Move, mc::MultiSpinSweep>) out.attribute("kernel_isa", state.implementation());
        out.attribute("kernel", std::string(kernel_name<Move>()));
        return packed_kernel<Move>();
      },
      any_move);
}

// Monte Carlo of the model an entry builds (model_table.hpp), every repeat; writes the summary.
template <class Entry>
void run_thermo(const Params& p, const TaskContext& ctx, TaskOutput& out) {
  if constexpr (std::is_same_v<typename Entry::Model, spins::IsingLattice>)
    if (replica_kernel(p)) return run_thermo_replicas(p, ctx, out);
  // A resumed task has the couplings and patterns in its output already.
  const auto first = Entry::build(p, ctx, 0, ctx.restored_checkpoint() ? nullptr : &out);
  const std::size_t N = first.model.size();
  Measurements meas = make_measurements(N, p, ctx);
  const auto repeats = static_cast<std::uint32_t>(std::max<std::int64_t>(1, ctx.repeats));
  bool fast_kernel = false;
  std::optional<Resume> resume;
  if (const Bytes* saved = ctx.restored_checkpoint()) {
    resume.emplace(Resume{0, {}, ByteReader(*saved)});
    resume->reader.tag(kThermoCheckpointTag);
    resume->reader(resume->repeat, resume->cursor, meas);
  }
  for (std::uint32_t r = resume ? resume->repeat : 0; r < repeats; ++r) {
    // Patterns are redrawn for every repeat (disorder average); other models are the same every repeat.
    const auto b = (r > 0 && first.patterns) ? Entry::build(p, ctx, r, nullptr) : first;
    Resume* from = resume && resume->repeat == r ? &*resume : nullptr;
    // A repeat resumed mid-way keeps the series restored with the checkpoint.
    if (!from) meas.start_repeat();
    fast_kernel = chain(b.model, b.patterns, p, ctx, r, meas, out, from);
    report_autocorrelation_times(p, meas, out);
  }
  write_thermo_summary(meas, N, fast_kernel, first.patterns.has_value(), out);
}

}  // namespace spindiff::runner::spins_kinds
