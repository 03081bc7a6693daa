// Parameters -> Monte Carlo move: the spec, and what the moves need to know of the model before it is built.
#include "common.hpp"

namespace spindiff::runner::spins_kinds {

mc::MoveSpec move_spec(const Params& p) {
  mc::MoveSpec spec;
  spec.name = p.string("algorithm");
  spec.order = mc::parse_order(p.string("order"));
  if (p.has("kernel")) spec.kernel = p.string("kernel");
  if (parallel_tempering(p)) spec.tempering = p.reals("pt_temperatures");
  return spec;
}

mc::ModelFacts model_facts(const Params& p) {
  const std::string model = p.has("model") ? p.string("model") : "ising";
  mc::ModelFacts f;
  if (model == "ising") {
    const bool periodic = p.string("boundary") == "periodic", even = p.integer("L") % 2 == 0;
    f.lattice = true;
    f.bipartite = !periodic || even;
    f.square_periodic = p.integer("dim") == 2 && periodic && even;
    f.bonds = true;
    f.field = p.real("h") != 0.0;
    f.ferromagnetic = p.real("J") >= 0.0;
  } else if (model == "sk") {
    f.bonds = true;
    f.field = p.real("h") != 0.0;
  } else if (model == "edges") {
    f.bonds = true;  // field and signs are known once the file is read
  }
  return f;
}

void throw_config_error(const mc::MoveError& e) {
  switch (e.part) {
    case mc::MoveError::Part::order:
      throw ConfigError("", "order", e.what());
    case mc::MoveError::Part::tempering:
      throw ConfigError("", "pt_temperatures", e.what());
    case mc::MoveError::Part::kernel:
      throw ConfigError("", "kernel", e.what());
    case mc::MoveError::Part::name:
      break;
  }
  throw ConfigError("", "algorithm", e.what());
}

}  // namespace spindiff::runner::spins_kinds
