#include "bindings.hpp"

namespace spindiff::python {

void bind_spins(py::module_&) {}

}  // namespace spindiff::python
