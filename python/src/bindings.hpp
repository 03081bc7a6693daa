#pragma once
// One function per area adds its part of the extension module spindiff._core.
#include <pybind11/pybind11.h>

#include <cstdint>
#include <optional>
#include <string>

#include "spindiff/core/rng.hpp"

namespace spindiff::python {

namespace py = pybind11;

void bind_runner(py::module_& m);
void bind_hopfield(py::module_& m);
void bind_spins(py::module_& m);
void bind_diffusion(py::module_& m);
void bind_langevin(py::module_& m);
void bind_bridge(py::module_& m);
void bind_conditional(py::module_& m);  // after bind_diffusion: adds to spindiff.diffusion

// The stream a `seed` names from Python: (seed, point 0, repeat 0, purpose); `stream`, when given as
// (seed, point, repeat, purpose, substream), names any stream a task of the runner uses.
Stream stream_from(std::uint64_t seed, const std::optional<py::tuple>& stream, Purpose purpose);

// (seed, point, repeat): the streams of a kind's task, named from Python by `task = (seed, point, repeat)` (point
// as in the task's `point` attribute); without a task, (seed, 0, 0).
struct TaskStreams {
  std::uint64_t seed = 0, point = 0;
  std::uint32_t repeat = 0;
  Stream operator()(Purpose purpose, std::uint64_t substream = 0) const {
    return Stream(seed, point, repeat, purpose, substream);
  }
};
TaskStreams task_streams(std::uint64_t seed, const std::optional<py::tuple>& task);

}  // namespace spindiff::python
