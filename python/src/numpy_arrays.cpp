#include "numpy_arrays.hpp"

#include <pybind11/stl.h>

#include <string>

namespace spindiff::python {

std::string describe_array(const py::array& a) {
  std::string shape = "(";
  for (py::ssize_t i = 0; i < a.ndim(); ++i) shape += (i ? ", " : "") + std::to_string(a.shape(i));
  if (a.ndim() == 1) shape += ",";
  return py::str(a.dtype()).cast<std::string>() + " array of shape " + shape + ")";
}

namespace {
void require_float64(const py::array& a, const char* what) {
  if (!a.dtype().is(py::dtype::of<double>()))
    throw py::type_error(std::string(what) + " must be a float64 array; got a " + describe_array(a) +
                         " (convert with numpy.asarray(x, dtype=numpy.float64))");
}

void require_points_shape(const py::array& a, const char* what, Eigen::Index d) {
  if (a.ndim() != 2 || (d >= 0 && a.shape(1) != d))
    throw py::value_error(std::string(what) + " must have shape (n, " + (d >= 0 ? std::to_string(d) : "d") +
                          "); got a " + describe_array(a));
}
}  // namespace

namespace {
py::array_t<double, py::array::c_style> c_contiguous(const py::array& a, const char* what, Eigen::Index d) {
  require_float64(a, what);
  require_points_shape(a, what, d);
  // Already C-contiguous float64: ensure() returns the caller's own array, so nothing is copied.
  return py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(a);
}
}  // namespace

PointsView::PointsView(const py::array& a, const char* what, Eigen::Index d)
    : array_(c_contiguous(a, what, d)), map_(array_.data(), array_.shape(0), array_.shape(1)) {}

diffusion::Points points_copy(const py::array& a, const char* what, Eigen::Index d) { return *PointsView(a, what, d); }

std::vector<double> reals(const py::array& a, const char* what) {
  require_float64(a, what);
  if (a.ndim() != 1) throw py::value_error(std::string(what) + " must be 1-D; got a " + describe_array(a));
  const auto c = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(a);
  return {c.data(), c.data() + c.size()};
}

namespace {
std::vector<std::int8_t> as_spins(const py::array& a, const char* what) {
  if (a.dtype().kind() != 'i')
    throw py::type_error(std::string(what) + " must be an integer array of ±1 (e.g. int8); got a " + describe_array(a));
  const auto c = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(a);
  std::vector<std::int8_t> out(static_cast<std::size_t>(c.size()));
  for (py::ssize_t i = 0; i < c.size(); ++i) {
    const std::int64_t v = c.data()[i];
    if (v != 1 && v != -1)
      throw py::value_error(std::string(what) + " must hold only +1 and -1; found " + std::to_string(v));
    out[static_cast<std::size_t>(i)] = static_cast<std::int8_t>(v);
  }
  return out;
}
}  // namespace

std::vector<std::int8_t> spins(const py::array& a, const char* what, std::size_t n) {
  if (a.ndim() != 1 || (n && static_cast<std::size_t>(a.shape(0)) != n))
    throw py::value_error(std::string(what) + " must have shape (" + (n ? std::to_string(n) : "N") + ",); got a " +
                          describe_array(a));
  return as_spins(a, what);
}

std::vector<std::vector<std::int8_t>> spin_rows(const py::array& a, const char* what) {
  if (a.ndim() != 2 || a.shape(0) < 1 || a.shape(1) < 1)
    throw py::value_error(std::string(what) + " must have shape (P, N) with P, N >= 1; got a " + describe_array(a));
  const auto flat = as_spins(a, what);
  const auto P = static_cast<std::size_t>(a.shape(0)), N = static_cast<std::size_t>(a.shape(1));
  std::vector<std::vector<std::int8_t>> rows(P);
  for (std::size_t mu = 0; mu < P; ++mu) rows[mu].assign(flat.begin() + mu * N, flat.begin() + (mu + 1) * N);
  return rows;
}

py::array_t<double> to_numpy(diffusion::Points&& points) {
  auto* owned = new diffusion::Points(std::move(points));
  py::capsule owner(owned, [](void* p) { delete static_cast<diffusion::Points*>(p); });
  return py::array_t<double>({owned->rows(), owned->cols()}, owned->data(), owner);
}

py::array_t<double> to_numpy(Eigen::MatrixXd&& matrix) {
  auto* owned = new Eigen::MatrixXd(std::move(matrix));
  py::capsule owner(owned, [](void* p) { delete static_cast<Eigen::MatrixXd*>(p); });
  const auto s = static_cast<py::ssize_t>(sizeof(double));
  return py::array_t<double>({owned->rows(), owned->cols()}, {s, s * owned->rows()}, owned->data(), owner);
}

py::array_t<double> to_numpy(Eigen::VectorXd&& vector) {
  auto* owned = new Eigen::VectorXd(std::move(vector));
  py::capsule owner(owned, [](void* p) { delete static_cast<Eigen::VectorXd*>(p); });
  return py::array_t<double>({owned->size()}, owned->data(), owner);
}

}  // namespace spindiff::python
