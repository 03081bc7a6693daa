#pragma once
// NumPy <-> C++ arrays for the bindings: inputs are checked (dtype, shape) with messages that name the
// argument; outputs hand their buffer to NumPy (no copy), owned by a capsule.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "spindiff/diffusion/score.hpp"

namespace spindiff::python {

namespace py = pybind11;

// "float64 array of shape (3, 2)" for messages.
std::string describe_array(const py::array& a);

// A C-contiguous float64 (n, d) array (d = -1: any); anything else is refused with a TypeError/ValueError
// naming `what`. The result views the caller's memory: it must not outlive `a`.
Eigen::Map<const diffusion::Points> points_view(const py::array& a, const char* what, Eigen::Index d = -1);
// The same, copied into an owning matrix (for the samplers, which work in place).
diffusion::Points points_copy(const py::array& a, const char* what, Eigen::Index d = -1);
// A 1-D float64 array (any stride) as a vector.
std::vector<double> reals(const py::array& a, const char* what);
// ±1 spins of any integer dtype (or bool-free int8 already) as int8, checked to be ±1.
std::vector<std::int8_t> spins(const py::array& a, const char* what, std::size_t n = 0);
// ±1 patterns of shape (P, N) as int8 rows.
std::vector<std::vector<std::int8_t>> spin_rows(const py::array& a, const char* what);

// Moves `data` into a NumPy array of the given shape without copying.
template <class T>
py::array_t<T> to_numpy(std::vector<T>&& data, std::vector<py::ssize_t> shape = {}) {
  auto* owned = new std::vector<T>(std::move(data));
  py::capsule owner(owned, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  if (shape.empty()) shape = {static_cast<py::ssize_t>(owned->size())};
  return py::array_t<T>(shape, owned->data(), owner);
}
py::array_t<double> to_numpy(diffusion::Points&& points);
py::array_t<double> to_numpy(Eigen::MatrixXd&& matrix);  // column-major: NumPy gets Fortran strides
py::array_t<double> to_numpy(Eigen::VectorXd&& vector);

}  // namespace spindiff::python
