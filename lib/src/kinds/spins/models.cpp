// The table of spin models (one header each, one row here) and the parameters the spins kinds share.
#include <algorithm>

#include "model_edges.hpp"
#include "model_hopfield.hpp"
#include "model_ising.hpp"
#include "model_sk.hpp"
#include "model_table.hpp"

namespace spindiff::runner::spins_kinds {

namespace {
std::vector<ModelEntry>& models() {
  static std::vector<ModelEntry> table = {
      model_entry<IsingModel>(),
      model_entry<SkModel>(),
      model_entry<HopfieldModel>(),
      model_entry<EdgesModel>(),
  };
  return table;
}
}  // namespace

const std::vector<ModelEntry>& model_table() { return models(); }

void register_spin_model(ModelEntry entry) { models().push_back(std::move(entry)); }

const ModelEntry& model_of(const Params& p) {
  const std::vector<ModelEntry>& table = model_table();
  if (!p.has("model")) return table.front();
  for (const ModelEntry& e : table)
    if (e.name == p.string("model")) return e;
  throw ConfigError("", "model", "no spin model '" + p.string("model") + "'");
}

std::vector<ParamSpec> model_params() {
  std::vector<std::string> names;
  for (const ModelEntry& e : model_table()) names.push_back(e.name);
  std::vector<ParamSpec> params = {choice_param("model", names.front(), names, "spin model")};
  for (const ModelEntry& e : model_table())
    for (const ParamSpec& s : e.params)
      if (std::none_of(params.begin(), params.end(), [&](const ParamSpec& q) { return q.name == s.name; }))
        params.push_back(s);
  return params;
}

std::vector<ParamSpec> mc_params(const std::string& default_order) {
  return {
      summary(real_param("T", 2.269185314213022, 1e-6, std::nullopt, "temperature (k_B = 1)")),
      choice_param("algorithm", "metropolis", {"metropolis", "heatbath", "wolff"}, "Monte Carlo update"),
      choice_param("order", default_order, {"random", "sequential", "checkerboard"},
                   "site order of single-spin updates (checkerboard: lattices only)"),
      choice_param("kernel", "auto", {"auto", "multispin", "multispin_replicas", "bytes", "generic"},
                   "checkerboard kernel of the 2-D periodic Ising lattice: auto (the fastest that applies), multispin "
                   "(one bit per spin, h = 0), multispin_replicas (the task's repeats run together as independent "
                   "replicas, one per bit of the multi-spin words, 64 at a time; h = 0), bytes (one byte per spin), "
                   "generic (the templated single-spin move)"),
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

}  // namespace spindiff::runner::spins_kinds
