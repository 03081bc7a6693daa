// Parameters -> Monte Carlo move: the spec, and what the moves need to know of the model before it is built.
#include "model_table.hpp"

namespace spindiff::runner::spins_kinds {

mc::MoveSpec move_spec(const Params& p) {
  mc::MoveSpec spec;
  spec.name = p.string("algorithm");
  spec.order = mc::parse_order(p.string("order"));
  if (p.has("kernel")) spec.kernel = p.string("kernel");
  if (parallel_tempering(p)) spec.tempering = p.reals("pt_temperatures");
  return spec;
}

mc::ModelFacts model_facts(const Params& p) { return model_of(p).facts(p); }

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
