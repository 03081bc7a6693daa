#include <fstream>
#include <sstream>

#include "common.hpp"

namespace spindiff::runner::spins_kinds {

std::vector<ParamSpec> model_params() {
  return {
      choice_param("model", "ising", {"ising", "sk", "hopfield", "edges"}, "spin model"),
      summary(integer_param("L", 4, 2, 4096, "lattice side (model = ising)")),
      integer_param("dim", 2, 2, 3, "lattice dimension, 2 (square) or 3 (simple cubic) (model = ising)"),
      real_param("J", 1.0, std::nullopt, std::nullopt, "coupling: lattice J, or SK scale J (J_ij ~ N(0, J^2/N))"),
      real_param("h", 0.0, std::nullopt, std::nullopt, "uniform field (ising, sk)"),
      choice_param("boundary", "periodic", {"periodic", "open"}, "lattice boundary (model = ising)"),
      integer_param("N", 12, 1, 1e8, "number of spins (sk, hopfield)"),
      integer_param("P", 2, 1, 1e6, "number of stored random patterns (model = hopfield)"),
      integer_param("instance", 0, 0, 1e9, "which disorder realisation (SK couplings, patterns) to draw"),
      string_param("edges", "", "edge-list file, 'i j J_ij' per line (model = edges; see docs/theory/monte-carlo.md)"),
  };
}

std::vector<ParamSpec> mc_params(const std::string& default_order) {
  return {
      summary(real_param("T", 2.269185314213022, 1e-6, std::nullopt, "temperature (k_B = 1)")),
      choice_param("algorithm", "metropolis", {"metropolis", "heatbath", "wolff"}, "Monte Carlo update"),
      choice_param("order", default_order, {"random", "sequential", "checkerboard"},
                   "site order of single-spin updates (checkerboard: lattices only)"),
      choice_param("kernel", "auto", {"auto", "multispin", "bytes", "generic"},
                   "checkerboard kernel of the 2-D periodic Ising lattice: auto (the fastest that applies), multispin "
                   "(one bit per spin, h = 0), bytes (one byte per spin), generic (the templated single-spin move)"),
      integer_param("sweeps", 20000, 1, 1e10, "measured sweeps (N update attempts each; Wolff: ~N flipped spins)"),
      integer_param("thermalize", 2000, 0, 1e10, "discarded sweeps before measuring"),
      choice_param("init", "random", {"random", "up", "pattern"}, "initial state (pattern: hopfield only)"),
      integer_param("histogram_bins", 100, 1, 1e6, "bins of the energy and magnetisation histograms"),
  };
}

spins::Patterns draw_patterns(std::size_t N, std::size_t P, Stream& rng) {
  std::vector<std::vector<std::int8_t>> configurations(P, std::vector<std::int8_t>(N));
  for (auto& c : configurations)
    for (auto& x : c) x = static_cast<std::int8_t>(rng.spin());
  return hopfield::patterns_from(configurations);
}

BuiltModel build_model(const Params& p, const TaskContext& ctx, std::uint32_t repeat, TaskOutput* out) {
  const std::string name = p.has("model") ? p.string("model") : "ising";
  if (name == "ising")
    return {spins::IsingLattice(static_cast<int>(p.integer("L")), static_cast<int>(p.integer("dim")), p.real("J"),
                                p.real("h"), spins::parse_boundary(p.string("boundary"))),
            std::nullopt};
  const auto instance = static_cast<std::uint32_t>(p.integer("instance"));
  if (name == "sk") {
    // Named by (seed, instance): the same couplings for every task and repeat of a run.
    Stream rng(ctx.seed, instance, 0, Purpose::couplings);
    spins::DenseCouplings sk =
        spins::sk_couplings(static_cast<std::size_t>(p.integer("N")), p.real("J"), p.real("h"), rng);
    if (out && repeat == 0) {
      const auto n = static_cast<std::size_t>(sk.size());
      std::vector<double> J(sk.couplings().data(), sk.couplings().data() + n * n);
      out->array("couplings", std::move(J), {n, n});
    }
    return {std::move(sk), std::nullopt};
  }
  if (name == "hopfield") {
    Stream rng(ctx.seed, instance, repeat, Purpose::patterns);
    spins::Patterns pat =
        draw_patterns(static_cast<std::size_t>(p.integer("N")), static_cast<std::size_t>(p.integer("P")), rng);
    if (out && repeat == 0) {
      std::vector<std::int8_t> rows;  // pattern-major, one row per pattern
      for (std::size_t mu = 0; mu < pat.P; ++mu) {
        const std::vector<std::int8_t> x = pat.pattern(mu);
        rows.insert(rows.end(), x.begin(), x.end());
      }
      out->array("patterns", std::move(rows), {pat.P, pat.N});
    }
    spins::PatternCouplings model(pat);
    return {std::move(model), std::move(pat)};
  }
  // edges: the parser is pure; the file is read here.
  std::filesystem::path path = p.string("edges");
  if (path.empty()) throw ConfigError("", "edges", "model = edges needs an edge-list file");
  if (path.is_relative()) path = ctx.config_dir / path;
  std::ifstream in(path);
  if (!in) throw ConfigError("", "edges", "cannot read '" + path.string() + "'");
  std::stringstream text;
  text << in.rdbuf();
  return {spins::SparseCouplings(spins::parse_edge_list(text.str())), std::nullopt};
}

}  // namespace spindiff::runner::spins_kinds
