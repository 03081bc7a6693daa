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

// A float64 (n, d) array (d = -1: any) read in place: a C-contiguous one is viewed where it lies (no copy);
// any other float64 layout (Fortran order, strided slices) is converted once into a C-contiguous array held
// here. Other dtypes and shapes are refused with a TypeError/ValueError naming `what`. Holds a reference to
// the array it reads, so the view stays valid while this object lives (also with the GIL released).
class PointsView {
 public:
  PointsView(const py::array& a, const char* what, Eigen::Index d = -1);
  const Eigen::Map<const diffusion::Points>& operator*() const { return map_; }
  const Eigen::Map<const diffusion::Points>* operator->() const { return &map_; }
  // The library's view of the points (diffusion::PointsRef binds to it without a copy).
  operator const Eigen::Map<const diffusion::Points>&() const { return map_; }

 private:
  py::array_t<double, py::array::c_style> array_;
  Eigen::Map<const diffusion::Points> map_;
};
// A float64 (n, d) array copied into an owning matrix: for what the library keeps or works on in place.
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
