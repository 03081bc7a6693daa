#include "bindings.hpp"

namespace spindiff::python {

void bind_hopfield(py::module_&) {}

}  // namespace spindiff::python
