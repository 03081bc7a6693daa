#pragma once
// The spin models the spins kinds offer (spins.thermo, spins.exact, ising.thermo): one table, one row per model.
//
// A model is one header, model_<name>.hpp, with an entry struct:
//   using Model = ...;                                    a spins::SpinModel
//   static constexpr const char* name;                    its value of the `model` parameter
//   static constexpr const char* size_param;              the parameter a size error names ("L", "N", ...)
//   static std::vector<ParamSpec> params();               its parameters (one shared with another model by name
//                                                         is declared once, by the first model of the table)
//   static mc::ModelFacts facts(const Params&);           what the moves may assume before it is built
//   static std::optional<double> spin_count(const Params&);   number of spins, if known before building
//   static void check_size(const Params&);                memory limits (ConfigError)
//   static Built<Model> build(const Params&, const TaskContext&, std::uint32_t repeat, TaskOutput*);
//   optional: static spins::DenseCouplings dense(const Model&);   for exact enumeration (else spins::to_dense,
//                                                                  else read off the local fields)
// plus one row model_entry<Entry>() in model_table() (models.cpp). A test registers its own with
// register_spin_model before the kinds are built.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common.hpp"
#include "thermo_chain.hpp"

namespace spindiff::runner::spins_kinds {

// A built model and, for models that store patterns, the patterns (retrieval overlap, init = pattern).
template <class M>
struct Built {
  M model;
  std::optional<spins::Patterns> patterns;
};

// One row of the table: the entry's functions, with the model type erased.
struct ModelEntry {
  std::string name;
  std::string size_param;
  std::vector<ParamSpec> params;
  std::function<mc::ModelFacts(const Params&)> facts;
  std::function<std::optional<double>(const Params&)> spin_count;
  std::function<void(const Params&)> check_size;
  // Monte Carlo over all repeats into the summary (thermo_chain.hpp).
  std::function<void(const Params&, const TaskContext&, TaskOutput&)> thermo;
  // The model as dense couplings, for exact enumeration (disorder of repeat 0, written to `out`).
  std::function<spins::DenseCouplings(const Params&, const TaskContext&, TaskOutput&)> dense;
};

// Dense couplings of any pairwise model, read off its local fields: h_i + sum_j J_ij s_j at all spins up, and
// the change -2 J_ij when spin j flips. For small models (exact enumeration); models with a direct conversion
// use that.
template <spins::SpinModel M>
spins::DenseCouplings dense_from_fields(const M& model) {
  const std::size_t n = model.size();
  spins::Config s(n, 1);
  auto cache = model.make_cache(s);
  Eigen::VectorXd up(static_cast<Eigen::Index>(n));
  for (std::size_t i = 0; i < n; ++i) up[static_cast<Eigen::Index>(i)] = model.local_field(s, cache, i);
  Eigen::MatrixXd J = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
  for (std::size_t j = 0; j < n; ++j) {
    model.flip(s, cache, j);
    for (std::size_t i = 0; i < n; ++i)
      if (i != j) {
        const auto a = static_cast<Eigen::Index>(i), b = static_cast<Eigen::Index>(j);
        J(a, b) = (up[a] - model.local_field(s, cache, i)) / 2.0;
      }
    model.flip(s, cache, j);
  }
  const Eigen::VectorXd h = up - J.rowwise().sum();
  return spins::DenseCouplings(0.5 * (J + J.transpose()), h);
}

template <class Entry>
spins::DenseCouplings dense_of(const typename Entry::Model& model) {
  if constexpr (requires { Entry::dense(model); })
    return Entry::dense(model);
  else if constexpr (requires { spins::to_dense(model); })
    return spins::DenseCouplings(spins::to_dense(model));
  else
    return dense_from_fields(model);
}

template <class Entry>
ModelEntry model_entry() {
  ModelEntry e;
  e.name = Entry::name;
  e.size_param = Entry::size_param;
  e.params = Entry::params();
  e.facts = [](const Params& p) { return Entry::facts(p); };
  e.spin_count = [](const Params& p) { return Entry::spin_count(p); };
  e.check_size = [](const Params& p) { Entry::check_size(p); };
  e.thermo = [](const Params& p, const TaskContext& ctx, TaskOutput& out) { run_thermo<Entry>(p, ctx, out); };
  e.dense = [](const Params& p, const TaskContext& ctx, TaskOutput& out) {
    return dense_of<Entry>(Entry::build(p, ctx, 0, &out).model);
  };
  return e;
}

// The models in `spins.thermo` order; the first is the default.
const std::vector<ModelEntry>& model_table();
// Adds a model (for models defined outside the library, e.g. in a test); call before the kinds are built.
void register_spin_model(ModelEntry entry);
// The entry the parameters name (`model`; kinds without that parameter run the first model, ising).
const ModelEntry& model_of(const Params& p);

}  // namespace spindiff::runner::spins_kinds
