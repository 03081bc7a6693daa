#include "spindiff/langevin/integrators.hpp"

namespace spindiff::langevin {

Method parse_method(std::string_view name) {
  if (name == "euler") return Method::euler;
  if (name == "mala") return Method::mala;
  if (name == "baoab") return Method::baoab;
  throw std::invalid_argument("unknown integrator '" + std::string(name) + "' (euler, mala, baoab)");
}

std::string method_name(Method m) {
  switch (m) {
    case Method::euler:
      return "euler";
    case Method::mala:
      return "mala";
    case Method::baoab:
      return "baoab";
  }
  return "?";
}

}  // namespace spindiff::langevin
