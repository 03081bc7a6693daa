// Spin-system kinds: equilibrium statistics of spin systems (Monte Carlo, exact enumeration, AGS theory).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

#include "registry.hpp"
#include "size_limits.hpp"
#include "spindiff/core/bytes.hpp"
#include "spindiff/hopfield/ags.hpp"
#include "spindiff/mc/chain.hpp"
#include "spindiff/mc/exact.hpp"
#include "spindiff/runner/kind.hpp"
#include "spindiff/stats/binning.hpp"
#include "spins/model_table.hpp"

namespace spindiff::runner {
namespace {

using namespace spins_kinds;

std::vector<ParamSpec> concat(std::vector<ParamSpec> a, const std::vector<ParamSpec>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// Number of spins; for a model that knows it only once built (edges), the N parameter as a cost guess.
double spin_count(const Params& p) {
  return model_of(p).spin_count(p).value_or(p.has("N") ? static_cast<double>(p.integer("N")) : 0.0);
}

double sweep_cost(const Params& p) {
  return spin_count(p) * static_cast<double>(p.integer("sweeps") + p.integer("thermalize"));
}

// The result columns every Monte Carlo thermodynamics kind writes.
std::vector<ResultColumn> thermo_results() {
  return {
      result("energy", "mean energy per spin (binned error)", "J"),
      result("abs_magnetization", "mean absolute magnetisation per spin <|m|> (binned error)"),
      result("specific_heat", "specific heat per spin from energy fluctuations (jackknife error)", "k_B"),
      result("susceptibility", "susceptibility N (<m^2> - <|m|>^2) / T (jackknife error)", "1/J"),
      result("binder", "Binder cumulant 1 - <m^4> / (3 <m^2>^2) (jackknife error)"),
      result("tau_magnetization",
             "integrated autocorrelation time of the signed magnetisation (Sokal window; mean over repeats)", "sweeps"),
      result("tau_energy", "integrated autocorrelation time of the energy (Sokal window; mean over repeats)", "sweeps"),
      exact_result("acceptance", "fraction of accepted proposals (single-spin moves; NaN for cluster moves)"),
      result("overlap", "mean overlap with the stored pattern the chain started from (hopfield model only)"),
  };
}

Kind ising_thermo() {
  Kind k;
  k.name = "ising.thermo";
  k.summary = "Ising model on square/cubic lattices: Monte Carlo equilibrium averages with error bars";
  // Without a `model` parameter it runs the first model of the table, ising.
  std::vector<ParamSpec> params = model_table().front().params;
  for (auto& s : params)
    if (s.name == "L") s.default_value = std::int64_t{32};
  k.params = concat(params, mc_params("checkerboard"));
  k.validate = [](const Params& p) {
    if (p.string("init") == "pattern") throw ConfigError("", "init", "ising.thermo has no patterns");
    model_of(p).check_size(p);
    check_move(p);
  };
  k.run = [](const Params& p, const TaskContext& ctx, TaskOutput& out) { model_of(p).thermo(p, ctx, out); };
  k.theory = onsager_theory;
  k.cost = sweep_cost;
  k.results = thermo_results();
  return k;
}

Kind spins_thermo() {
  Kind k;
  k.name = "spins.thermo";
  k.summary = "Monte Carlo for any spin model (ising, sk, hopfield, edges), optionally parallel tempering";
  k.params = concat(model_params(), mc_params("random"));
  k.params.push_back(bool_param("parallel_tempering", false, "replica exchange over pt_temperatures (plus T)"));
  k.params.push_back(real_list_param("pt_temperatures", {0.5, 0.8, 1.2, 1.8}, 1e-6, std::nullopt,
                                     "parallel-tempering ladder; T is added to it; the summary row is at T"));
  k.validate = [](const Params& p) {
    model_of(p).check_size(p);
    check_move(p);
  };
  k.run = [](const Params& p, const TaskContext& ctx, TaskOutput& out) { model_of(p).thermo(p, ctx, out); };
  k.cost = sweep_cost;
  k.results = thermo_results();
  return k;
}

Kind spins_exact() {
  Kind k;
  k.name = "spins.exact";
  k.summary = "Exact enumeration of all 2^N states (Gray code): Z, F, S, <E>, C, <|m|>, chi, Binder";
  k.params = model_params();
  k.params.push_back(summary(real_param("T", 2.269185314213022, 1e-6, std::nullopt, "temperature (k_B = 1)")));
  k.validate = [](const Params& p) {
    const ModelEntry& m = model_of(p);
    if (const std::optional<double> n = m.spin_count(p); n && *n > 34)
      throw ConfigError("", m.size_param, "exact enumeration needs N <= 34");
  };
  k.run = [](const Params& p, const TaskContext& ctx, TaskOutput& out) {
    const ModelEntry& m = model_of(p);
    const spins::DenseCouplings dense = m.dense(p, ctx, out);
    if (dense.size() > 34) throw ConfigError("", m.size_param, "exact enumeration needs N <= 34");
    const std::vector<double> T = {p.real("T")};
    const mc::ExactThermo r = mc::enumerate_exact(dense, T)[0];
    out.scalar("energy", r.energy);
    out.scalar("abs_magnetization", r.abs_magnetization);
    out.scalar("specific_heat", r.specific_heat);
    out.scalar("susceptibility", r.susceptibility);
    out.scalar("binder", r.binder);
    out.attribute("N", static_cast<std::int64_t>(dense.size()));
    out.attribute("log_z", r.log_z);
    out.attribute("free_energy", r.free_energy);
    out.attribute("entropy", r.entropy);
    out.attribute("magnetization_sq", r.magnetization_sq);
    out.attribute("magnetization_4", r.magnetization_4);
    out.attribute("ground_energy", r.ground_energy);
  };
  k.cost = [](const Params& p) {
    const double n = spin_count(p);
    return std::ldexp(n, static_cast<int>(std::min(n, 60.0)));
  };
  k.results = {
      exact_result("energy", "exact mean energy per spin <E>/N", "J"),
      exact_result("abs_magnetization", "exact mean absolute magnetisation per spin <|m|>"),
      exact_result("specific_heat", "exact specific heat per spin (<E^2> - <E>^2) / (N T^2)", "k_B"),
      exact_result("susceptibility", "exact susceptibility N (<m^2> - <|m|>^2) / T", "1/J"),
      exact_result("binder", "exact Binder cumulant 1 - <m^4> / (3 <m^2>^2)"),
  };
  return k;
}

Kind hopfield_thermo() {
  Kind k;
  k.name = "hopfield.thermo";
  k.summary = "Hopfield retrieval at finite temperature m(alpha, T) from a stored pattern, with the AGS lines";
  k.params = {
      integer_param("N", 1000, 2, 1e8, "number of neurons"),
      summary(real_param("alpha", 0.05, 0.0, 10.0, "load P/N (P = max(1, round(alpha N)) random patterns)")),
      summary(real_param("T", 0.5, 1e-6, std::nullopt, "temperature")),
      choice_param("algorithm", "metropolis", {"metropolis", "heatbath"}, "Monte Carlo update"),
      choice_param("order", "random", {"random", "sequential"}, "site order"),
      integer_param("sweeps", 2000, 1, 1e10, "measured sweeps"),
      integer_param("thermalize", 500, 0, 1e10, "discarded sweeps"),
  };
  k.validate = [](const Params& p) {
    const double N = static_cast<double>(p.integer("N"));
    const double P = std::max(1.0, std::round(p.real("alpha") * N));
    check_memory("alpha", fmt::format("N x P = {:.4g} pattern entries", N * P), 2.0 * N * P);
  };
  k.run = [](const Params& p, const TaskContext& ctx, TaskOutput& out) {
    const auto N = static_cast<std::size_t>(p.integer("N"));
    const auto P = std::max<std::size_t>(1, static_cast<std::size_t>(std::llround(p.real("alpha") * N)));
    const double T = p.real("T");
    const auto repeats = static_cast<std::uint32_t>(std::max<std::int64_t>(1, ctx.repeats));
    stats::BinningAccumulator m_acc, e_acc;
    std::uint64_t accepted = 0;
    std::vector<double> final_overlap;
    const mc::Schedule schedule{p.integer("thermalize"), p.integer("sweeps")};
    // A checkpoint: repeat, cursor, accumulators, then the move, replica and stream of that repeat's chain.
    constexpr std::uint32_t tag = 0x48545431;  // "HTT1"
    std::uint32_t first_repeat = 0;
    mc::Cursor cursor;
    std::optional<ByteReader> resume;
    if (const Bytes* saved = ctx.restored_checkpoint()) {
      resume.emplace(*saved);
      resume->tag(tag);
      (*resume)(first_repeat, cursor, m_acc, e_acc, accepted, final_overlap);
    }
    for (std::uint32_t r = first_repeat; r < repeats; ++r) {
      Stream prng = ctx.stream(r, Purpose::patterns);
      spins::Patterns pat = draw_patterns(N, P, prng);
      const spins::PatternCouplings model(pat);
      auto any_move = make_move(p, model);
      std::visit(
          [&](auto& move) {
            auto [rep, rng] = move.start(
                pat.pattern(0), [&](Purpose purpose, std::uint64_t sub) { return ctx.stream(r, purpose, sub); });
            auto measure = [&](const spins::Replica<spins::PatternCouplings>& x, std::int64_t t) {
              if (t < schedule.thermalize) return;
              m_acc.add(static_cast<double>(x.cache[0]) / static_cast<double>(N));
              e_acc.add(x.energy / static_cast<double>(N));
            };
            mc::Cursor from;
            if (resume && r == first_repeat) {
              (*resume)(move, rep, rng);
              from = cursor;
            }
            auto hook = [&](const mc::Cursor& c) {
              if (c.sweep % 64 == 0)
                ctx.report((r + static_cast<double>(c.sweep) / static_cast<double>(schedule.total())) / repeats);
              if (ctx.checkpoint_due()) {
                ByteWriter w;
                w.tag(tag);
                w(r, c, m_acc, e_acc, accepted, final_overlap, move, rep, rng);
                ctx.save_checkpoint(std::move(w).bytes());
              }
            };
            accepted += mc::run_chain(model, move, schedule, rep, rng, measure, hook, from).accepted;
            final_overlap.push_back(static_cast<double>(mc::observed(move, rep).cache[0]) / static_cast<double>(N));
          },
          any_move);
    }
    const double alpha_eff = static_cast<double>(P) / static_cast<double>(N);
    out.scalar("overlap", m_acc.mean(), m_acc.error());
    out.scalar("energy", e_acc.mean(), e_acc.error());
    out.scalar("tau_overlap", m_acc.tau_int());
    out.scalar("acceptance",
               static_cast<double>(accepted) / (static_cast<double>(m_acc.count()) * static_cast<double>(N)));
    out.scalar("ags_overlap", hopfield::ags::solve(alpha_eff, T).m);
    out.attribute("P", static_cast<std::int64_t>(P));
    out.attribute("converged", m_acc.converged());
    out.array("final_overlap", final_overlap);
  };
  k.theory = [](std::span<const Params> tasks, TaskOutput& theory) {
    double amax = 0.15;
    for (const Params& p : tasks) amax = std::max(amax, p.real("alpha"));
    std::vector<double> alpha, Tg, TM;
    for (int i = 0; i <= 60; ++i) {
      const double a = amax * i / 60.0;
      alpha.push_back(a);
      Tg.push_back(hopfield::ags::spin_glass_temperature(a));
      TM.push_back(a == 0.0 ? 1.0 : hopfield::ags::retrieval_temperature(a, 1e-3));
    }
    theory.array("ags/alpha", alpha);
    theory.array("ags/T_g", Tg);
    theory.array("ags/T_M", TM);
    // m(T) along the retrieval branch for each task alpha.
    std::set<double> alphas;
    for (const Params& p : tasks) alphas.insert(p.real("alpha"));
    std::vector<double> a_col, T_col, m_col;
    for (double a : alphas)
      for (int i = 0; i <= 100; ++i) {
        const double T = 0.02 + 1.18 * i / 100.0;
        a_col.push_back(a);
        T_col.push_back(T);
        m_col.push_back(hopfield::ags::solve(a, T).m);
      }
    theory.array("ags_curves/alpha", a_col);
    theory.array("ags_curves/T", T_col);
    theory.array("ags_curves/overlap", m_col);
  };
  k.cost = [](const Params& p) {
    return static_cast<double>(p.integer("N")) * std::max(1.0, p.real("alpha") * p.integer("N")) *
           static_cast<double>(p.integer("sweeps") + p.integer("thermalize"));
  };
  k.results = {
      result("overlap", "Monte Carlo mean overlap m with the pattern the chain started from (binned error)"),
      result("energy", "Monte Carlo mean energy per spin (binned error)", "J"),
      exact_result("tau_overlap", "integrated autocorrelation time of the overlap series", "sweeps"),
      exact_result("acceptance", "fraction of accepted spin-flip proposals"),
      exact_result("ags_overlap", "AGS replica-symmetric retrieval overlap m(alpha, T) at the realised alpha = P/N"),
  };
  return k;
}

}  // namespace

void register_spins_kinds(std::vector<Kind>& kinds) {
  kinds.push_back(ising_thermo());
  kinds.push_back(spins_exact());
  kinds.push_back(spins_kinds::ising_exact_kind());
  kinds.push_back(spins_thermo());
  kinds.push_back(hopfield_thermo());
}

}  // namespace spindiff::runner
