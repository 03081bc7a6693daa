#include <stdexcept>

#include "spindiff/mc/move_spec.hpp"

namespace spindiff::mc {

Rule parse_rule(const std::string& name) {
  if (name == "metropolis") return Rule::metropolis;
  if (name == "heatbath") return Rule::heatbath;
  throw std::invalid_argument("unknown update rule '" + name + "' (metropolis, heatbath)");
}

Order parse_order(const std::string& name) {
  if (name == "random") return Order::random;
  if (name == "sequential") return Order::sequential;
  if (name == "checkerboard") return Order::checkerboard;
  throw std::invalid_argument("unknown order '" + name + "' (random, sequential, checkerboard)");
}

}  // namespace spindiff::mc
