// langevin.boltzmann: many independent Brownian particles in a potential; the histogram of their positions
// against the exact Boltzmann law exp(-U/T)/Z (quadrature), and the mean energy against its exact value.
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "langevin_kinds.hpp"
#include "spindiff/core/bytes.hpp"
#include "spindiff/langevin/exact.hpp"
#include "spindiff/langevin/observables.hpp"
#include "spindiff/langevin/sampler.hpp"
#include "spindiff/runner/repeat_checkpoint.hpp"
#include "spindiff/stats/autocorrelation.hpp"
#include "spindiff/stats/binning.hpp"

namespace spindiff::runner::langevin_kinds {

namespace {

namespace sl = spindiff::langevin;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Box {
  int dims = 1;
  double lo[2] = {0, 0}, hi[2] = {0, 0};
};

// Widens [lo, hi] until the 1-D weight exp(-(E - E_min)/T) at both ends is below e^-14.
void widen(const std::function<double(double)>& E, double T, double& lo, double& hi) {
  double e0 = std::numeric_limits<double>::infinity();
  for (int i = 0; i <= 2000; ++i) e0 = std::min(e0, E(lo + (hi - lo) * i / 2000));
  const double step = 0.05 * (hi - lo);
  for (int it = 0; it < 2000 && (E(lo) - e0) / T < 14.0; ++it) lo -= step;
  for (int it = 0; it < 2000 && (E(hi) - e0) / T < 14.0; ++it) hi += step;
}

// The histogram box: coordinate 0 (dim 1 or dim > 2) or coordinates 0 and 1 (dim 2).
Box histogram_box(const Params& p, const sl::Potential& pot, int dim, double T) {
  Box b;
  b.dims = dim == 2 ? 2 : 1;
  const std::vector<double>& range = p.reals("range");
  if ((range.size() == 2 || range.size() == 4) && range[1] > range[0]) {
    for (int a = 0; a < b.dims; ++a) {
      const std::size_t o = range.size() == 4 ? 2 * static_cast<std::size_t>(a) : 0;
      b.lo[a] = range[o];
      b.hi[a] = range[o + 1];
    }
    return b;
  }
  if (const auto* mb = std::get_if<sl::MullerBrown>(&pot)) {
    (void)mb;
    b.lo[0] = -1.5, b.hi[0] = 1.2, b.lo[1] = -0.5, b.hi[1] = 2.0;  // the usual Mueller-Brown window
    return b;
  }
  if (const auto* mix = std::get_if<sl::MixturePotential>(&pot)) {
    const double s = *std::max_element(mix->sigmas.begin(), mix->sigmas.end());
    for (int a = 0; a < b.dims; ++a) {
      b.lo[a] = mix->mixture.means.col(a).minCoeff() - 5.0 * s;
      b.hi[a] = mix->mixture.means.col(a).maxCoeff() + 5.0 * s;
    }
    return b;
  }
  // Separable potentials: every axis is the 1-D marginal.
  double lo = -0.5, hi = 0.5;
  if (const auto* dw = std::get_if<sl::DoubleWell>(&pot)) lo = -dw->minimum(), hi = dw->minimum();
  widen([&](double x) { return sl::potential_marginal_energy(pot, x); }, T, lo, hi);
  for (int a = 0; a < b.dims; ++a) b.lo[a] = lo, b.hi[a] = hi;
  return b;
}

bool separable(const sl::Potential& pot) {
  return std::holds_alternative<sl::Harmonic>(pot) || std::holds_alternative<sl::DoubleWell>(pot);
}

void validate(const Params& p) {
  if (p.integer("record_every") > p.integer("steps"))
    throw ConfigError("", "record_every", "must not exceed steps (at least one record is needed)");
  const std::vector<double>& range = p.reals("range");
  if (range.size() != 2 && range.size() != 4)
    throw ConfigError("", "range", "give [0, 0] (automatic), [lo, hi] or [xlo, xhi, ylo, yhi]");
  if (range.size() == 4 && !(range[3] > range[2])) throw ConfigError("", "range", "need yhi > ylo");
  configured_potential(p);  // throws ConfigError on inconsistent potential parameters
  if (p.string("potential") == "learned_score") {
    if (!(range[1] > range[0])) throw ConfigError("", "range", "learned_score needs an explicit histogram box");
    if (p.string("integrator") == "mala")
      throw ConfigError("", "integrator", "MALA needs the energy U, which a learned score does not give");
  }
}

void run(const Params& p, const TaskContext& ctx, TaskOutput& out) {
  const ConfiguredPotential configured = configured_potential(p);
  const sl::Potential& pot = configured.potential;
  const int dim = sl::potential_dim(pot);
  const double T = p.real("T");
  const Box box = histogram_box(p, pot, dim, T);
  const int bins = static_cast<int>(p.integer("bins"));

  sl::SamplerSettings s;
  s.method = sl::parse_method(p.string("integrator"));
  s.dyn = {T, p.real("dt"), p.real("gamma"), p.real("mass")};
  s.particles = p.integer("particles");
  s.steps = p.integer("steps");
  s.thermalize = p.integer("thermalize");
  s.record_every = p.integer("record_every");
  s.histogram.dims = box.dims;
  s.histogram.bins = bins;
  for (int a = 0; a < 2; ++a) s.histogram.lo[a] = box.lo[a], s.histogram.hi[a] = box.hi[a];
  if (box.dims == 2) {
    s.init_lo = {box.lo[0], box.lo[1]};
    s.init_hi = {box.hi[0], box.hi[1]};
  } else {
    s.init_lo = {box.lo[0]};
    s.init_hi = {box.hi[0]};
  }
  s.trajectory_particles = static_cast<int>(std::min<std::int64_t>(p.integer("trajectory_particles"), s.particles));
  s.trajectory_every = std::max<std::int64_t>(1, (s.thermalize + s.steps) / p.integer("trajectory_points"));
  s.series_particles = static_cast<int>(std::min<std::int64_t>(64, s.particles));
  s.threads = static_cast<int>(p.integer("threads"));

  // Exact law on the histogram grid (bin probabilities) and the exact mean energy.
  const auto ex = sl::linspace_edges(box.lo[0], box.hi[0], bins);
  const auto ey =
      sl::linspace_edges(box.lo[1] < box.hi[1] ? box.lo[1] : 0.0, box.lo[1] < box.hi[1] ? box.hi[1] : 1.0, bins);
  std::vector<double> prob;
  double exact_energy = kNaN;
  std::vector<double> fine_x, fine_density;
  if (std::holds_alternative<sl::ScorePotential>(pot)) {
    // A learned score gives no normalisable density here: no exact law, so tv_distance, kl and
    // exact_mean_energy are NaN.
    prob.assign(box.dims == 2 ? static_cast<std::size_t>(bins) * bins : static_cast<std::size_t>(bins), kNaN);
  } else if (box.dims == 1) {
    const sl::Boltzmann1D law([&](double x) { return sl::potential_marginal_energy(pot, x); }, T, box.lo[0], box.hi[0]);
    prob = law.bin_probabilities(ex);
    if (dim == 1 || separable(pot)) exact_energy = dim * law.mean_energy();
    for (int i = 0; i <= 400; ++i) {
      fine_x.push_back(box.lo[0] + (box.hi[0] - box.lo[0]) * i / 400);
      fine_density.push_back(law.density(fine_x.back()));
    }
  } else {
    const sl::Boltzmann2D law(
        [&](double x, double y) {
          const double pt[2] = {x, y};
          return sl::potential_energy_at(pot, pt);
        },
        T, {box.lo[0], box.lo[1]}, {box.hi[0], box.hi[1]});
    prob = law.bin_probabilities(ex, ey);
    exact_energy = law.mean_energy();
  }
  double p_in = 0.0;
  for (double v : prob) p_in += v;

  // Repeats are independent runs; their histograms add up.
  const std::int64_t repeats = ctx.repeats;
  std::vector<double> counts(prob.size(), 0.0);
  double samples = 0.0, outside = 0.0, s1 = 0, s2 = 0, s3 = 0, s4 = 0;
  std::int64_t proposed = 0, accepted = 0;
  sl::SamplerResult keep;  // trajectories and series of repeat 0
  // A checkpoint: the repeat, the sums of the repeats before it, repeat 0's record, then the sampler's state.
  constexpr std::uint32_t tag = 0x4C425A31;  // "LBZ1"
  Bytes sampler_state;
  const std::int64_t first_repeat =
      runner::restore_repeat_checkpoint(ctx, tag, "langevin.boltzmann", counts, samples, outside, s1, s2, s3, s4,
                                        proposed, accepted, keep, sampler_state);
  for (std::int64_t r = first_repeat; r < repeats; ++r) {
    sl::SamplerCheckpoints checkpoints;
    checkpoints.due = [&] { return ctx.checkpoint_due(); };
    checkpoints.save = [&](Bytes&& state) {
      runner::save_repeat_checkpoint(ctx, tag, r, counts, samples, outside, s1, s2, s3, s4, proposed, accepted, keep,
                                     state);
    };
    if (r == first_repeat && !sampler_state.empty()) checkpoints.restored = &sampler_state;
    auto res = sl::sample(
        pot, s, ctx.stream(static_cast<std::uint32_t>(r), Purpose::dynamics),
        [&](double f) { ctx.report((static_cast<double>(r) + f) / static_cast<double>(repeats)); }, &checkpoints);
    // An integrator run beyond its stability limit (dt too large for the potential's stiffness) sends particles to
    // infinity. That is a result worth keeping (where an integrator stops being usable), so the run goes on, but the
    // repeat is flagged in `diverged` and a warning names the cause: its NaN energy never passes silently.
    bool finite = std::isfinite(res.power_sums[1]);
    for (double e : res.mean_energy) finite = finite && (std::isfinite(e) || !sl::potential_has_energy(pot));
    if (!finite || res.diverged_particles > 0)
      out.warning("repeat " + std::to_string(r) + ": " + std::to_string(res.diverged_particles) + " of " +
                  std::to_string(s.particles) + " trajectories diverged (non-finite positions or energy) at dt = " +
                  std::to_string(s.dyn.dt) + "; lower dt");
    for (std::size_t i = 0; i < counts.size(); ++i) counts[i] += static_cast<double>(res.counts[i]);
    samples += static_cast<double>(res.samples);
    outside += static_cast<double>(res.outside);
    s1 += res.power_sums[0], s2 += res.power_sums[1], s3 += res.power_sums[2], s4 += res.power_sums[3];
    proposed += res.proposed, accepted += res.accepted;
    stats::BinningAccumulator acc;
    for (double e : res.mean_energy) acc.add(e);
    // Independent repeats give the error bar; a single run's comes from binning its correlated series.
    out.sample("mean_energy", sl::potential_has_energy(pot) ? acc.mean() : kNaN, acc.max_error());
    out.sample("diverged", finite ? 0.0 : 1.0);
    out.sample("diverged_fraction", static_cast<double>(res.diverged_particles) / static_cast<double>(s.particles));
    if (r == 0) keep = std::move(res);
  }

  std::vector<double> p_hat(counts.size()), density(counts.size()), exact_density(counts.size());
  const double cell = (ex[1] - ex[0]) * (box.dims == 2 ? ey[1] - ey[0] : 1.0);
  for (std::size_t i = 0; i < counts.size(); ++i) {
    p_hat[i] = counts[i] / samples;
    density[i] = p_hat[i] / cell;
    exact_density[i] = prob[i] / cell;
  }
  const bool exact_law = !std::holds_alternative<sl::ScorePotential>(pot);
  const double tv = exact_law ? sl::total_variation(p_hat, prob, outside / samples, std::max(0.0, 1.0 - p_in)) : kNaN;
  const double kl = exact_law ? sl::kl_divergence(p_hat, prob, outside / samples, std::max(0.0, 1.0 - p_in)) : kNaN;

  out.scalar("tv_distance", tv);
  out.scalar("kl", kl);
  out.scalar("exact_mean_energy", exact_energy);
  out.scalar("acceptance", s.method == sl::Method::mala ? static_cast<double>(accepted) / proposed : kNaN);

  const sl::Moments m = sl::moments_from_sums(samples, s1, s2, s3, s4);
  out.attribute("x0_mean", Value(m.mean));
  out.attribute("x0_variance", Value(m.variance));
  out.attribute("x0_skewness", Value(m.skewness));
  out.attribute("x0_excess_kurtosis", Value(m.excess_kurtosis));
  out.attribute("histogram_samples", Value(samples));

  const std::vector<std::size_t> shape =
      box.dims == 2 ? std::vector<std::size_t>{static_cast<std::size_t>(bins), static_cast<std::size_t>(bins)}
                    : std::vector<std::size_t>{};
  out.array("histogram/edges", std::vector<double>(ex));
  if (box.dims == 2) out.array("histogram/edges_y", std::vector<double>(ey));
  out.array("histogram/density", std::move(density), shape).doc("sampled density per bin (2-D: [ix, iy])");
  out.array("histogram/exact_density", std::move(exact_density), shape)
      .doc("exact Boltzmann density averaged over each bin");
  if (!fine_x.empty()) {
    out.array("exact/x", std::move(fine_x));
    out.array("exact/density", std::move(fine_density));
  }
  out.array("energy_series", std::move(keep.mean_energy)).doc("ensemble-mean energy at every record (repeat 0)");
  if (!keep.trajectory.empty()) {
    const std::size_t saves = keep.trajectory_time.size();
    out.array("trajectory", std::move(keep.trajectory),
              {saves, static_cast<std::size_t>(s.trajectory_particles), static_cast<std::size_t>(dim)})
        .doc("[save, particle, coordinate], thermalisation included");
    out.array("trajectory_time", std::move(keep.trajectory_time));
  }
  if (!keep.series.empty()) {
    const auto rho = stats::autocorrelation(std::span<const std::vector<double>>(keep.series),
                                            std::min<std::size_t>(keep.series[0].size() / 4, 1000));
    out.attribute("x0_tau_int_records", Value(stats::sokal_window(rho, 5.0).tau));
    out.array("autocorrelation", std::vector<double>(rho))
        .doc("autocorrelation of x0 against lag in records (record_every steps)");
  }
}

}  // namespace

Kind boltzmann_kind() {
  Kind k;
  k.name = "langevin.boltzmann";
  k.summary = "Brownian particles in a potential: histogram vs the exact Boltzmann law, mean energy";
  k.params = potential_params();
  const std::vector<ParamSpec> own = {
      summary(real_param("T", 0.5, 1e-6, 1e6, "temperature (k_B = 1)")),
      summary(real_param("dt", 1e-2, 1e-9, 1e3, "time step")),
      summary(choice_param("integrator", "euler", {"euler", "mala", "baoab"},
                           "euler: Euler-Maruyama, mala: Metropolis-adjusted, baoab: underdamped splitting")),
      real_param("gamma", 1.0, 1e-9, 1e9, "friction coefficient"),
      real_param("mass", 1.0, 1e-9, 1e9, "particle mass (baoab)"),
      integer_param("particles", 10000, 1.0, 1e8, "independent particles"),
      integer_param("steps", 10000, 1.0, 1e10, "recorded steps (after thermalisation)"),
      integer_param("thermalize", 1000, 0.0, 1e10, "steps discarded first"),
      integer_param("record_every", 10, 1.0, 1e9, "steps between histogram/energy records"),
      integer_param("bins", 100, 2.0, 2000.0, "histogram bins (per axis)"),
      real_list_param("range", {0.0, 0.0}, std::nullopt, std::nullopt,
                      "histogram (and initial-position) box: [lo, hi] or [xlo, xhi, ylo, yhi]; hi <= lo: automatic"),
      integer_param("trajectory_particles", 4, 0.0, 1000.0, "particles whose trajectory is saved"),
      integer_param("trajectory_points", 500, 1.0, 1e6, "saved points per trajectory"),
      integer_param("threads", 1, 1.0, 256.0, "threads inside the task (results do not depend on it)"),
  };
  k.params.insert(k.params.end(), own.begin(), own.end());
  k.validate = validate;
  k.run = run;
  k.cost = [](const Params& p) {
    return static_cast<double>(p.integer("particles")) *
           static_cast<double>(p.integer("steps") + p.integer("thermalize")) * static_cast<double>(p.integer("dim")) *
           (p.string("integrator") == "mala" ? 2.0 : 1.0);
  };
  k.results = {
      result("mean_energy", "time- and particle-averaged potential energy <U> (NaN for a score-only potential)",
             "energy"),
      exact_result("exact_mean_energy", "<U> under the exact Boltzmann law exp(-U/T) / Z", "energy"),
      exact_result("tv_distance", "total-variation distance of the sampled histogram from the exact Boltzmann law"),
      exact_result("kl", "Kullback-Leibler divergence of the sampled histogram from the exact Boltzmann law", "nats"),
      exact_result("acceptance", "MALA acceptance rate (NaN for the other integrators)"),
      result("diverged",
             "fraction of repeats whose trajectories diverged (non-finite positions or energy: dt beyond the "
             "integrator's stability limit); their energies and histogram are not samples of the law"),
      result("diverged_fraction",
             "fraction of the trajectories (particles) of a repeat that diverged: a non-finite coordinate or energy "
             "at some record, or a non-finite coordinate at the end; mean over repeats. The other columns include "
             "them: mean_energy is non-finite once one diverged before the last record, and tv_distance and kl "
             "count their entries as mass outside the histogram box"),
  };
  return k;
}

}  // namespace spindiff::runner::langevin_kinds
