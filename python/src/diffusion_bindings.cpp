#include "bindings.hpp"

namespace spindiff::python {

void bind_diffusion(py::module_&) {}

}  // namespace spindiff::python
