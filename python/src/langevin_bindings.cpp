#include "bindings.hpp"

namespace spindiff::python {

void bind_langevin(py::module_&) {}

}  // namespace spindiff::python
