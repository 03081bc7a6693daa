// spindiff.bridge: the bridge analyses driven by any score (built-in or a Python callable): the memorisation
// detector (reverse OU diffusion, then nearest/second-nearest training distances), the collapse of trajectories
// onto the training set, the cloning measurement of speciation and the landscape's symmetry breaking. Streams are named
// as the bridge kinds name theirs, so a kind's task is reproduced exactly.
#include <fmt/format.h>
#include <pybind11/stl.h>

#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "bindings.hpp"
#include "numpy_arrays.hpp"
#include "spindiff/bridge/cloning.hpp"
#include "spindiff/bridge/collapse.hpp"
#include "spindiff/bridge/curves.hpp"
#include "spindiff/bridge/landscape.hpp"
#include "spindiff/diffusion/forward_process.hpp"
#include "spindiff/diffusion/metrics.hpp"
#include "spindiff/diffusion/samplers.hpp"

namespace spindiff::python {

namespace {

namespace dd = spindiff::diffusion;
using ScorePtr = std::shared_ptr<dd::ScoreModel>;

std::vector<double> ou_times(double T, double t_min, double dt) {
  if (!(t_min > 0)) throw py::value_error("t_min: must be positive");
  if (!(T > t_min)) throw py::value_error("T: must exceed t_min");
  if (!(dt > 0)) throw py::value_error("dt: must be positive");
  return bridge::backward_times(T, t_min, dt);
}

// The bridge.memorization kind's measurement for a given score: `samples` points generated from N(0, I) at T by
// the reverse OU SDE (last step without noise), and for each the distances to its nearest and second-nearest
// training points; a sample copies a training point when nearest < ratio * second.
py::dict memorization(const ScorePtr& score, const py::array& training_in, Eigen::Index samples, double ratio, double T,
                      double t_min, double dt, std::uint64_t seed, const std::optional<py::tuple>& task) {
  const PointsView training(training_in, "training", score->dim());
  if (training->rows() < 2) throw py::value_error("training: needs at least 2 points");
  if (samples < 1) throw py::value_error("samples: must be at least 1");
  if (!(ratio > 0 && ratio <= 1)) throw py::value_error("ratio: must be in (0, 1]");
  const std::vector<double> times = ou_times(T, t_min, dt);
  const TaskStreams key = task_streams(seed, task);
  dd::Points x(samples, training->cols());
  Eigen::MatrixXd nearest;
  {
    py::gil_scoped_release release;
    const dd::OrnsteinUhlenbeck ou(times.front(), times.back());
    ou.sample_prior(x, key(Purpose::init));
    dd::SamplerOptions options;
    options.denoise_last = true;
    dd::reverse_sde_euler_maruyama(*score, ou, times, x, key(Purpose::dynamics), options);
    nearest = dd::nearest_two_distances(x, *training);
  }
  const Eigen::Index copies = (nearest.col(0).array() < ratio * nearest.col(1).array()).count();
  py::dict out;
  out["copy_fraction"] = static_cast<double>(copies) / static_cast<double>(samples);
  out["nearest"] = to_numpy(std::move(nearest));
  out["samples"] = to_numpy(std::move(x));
  return out;
}

// The bridge.collapse kind's measurement for a given score: `trajectories` reverse-OU trajectories from N(0, I) at
// T, the training set's posterior (entropy, largest weight, nearest point) measured every `measure_every` steps,
// and the crossing times t_collapse (entropy at `entropy_threshold`) and t_collapse_nn (half the trajectories on
// the training point they land on); NaN when a curve does not cross.
py::dict collapse(const ScorePtr& score, const py::array& training_in, Eigen::Index trajectories, double T,
                  double t_min, double dt, int measure_every, double entropy_threshold, std::uint64_t seed,
                  const std::optional<py::tuple>& task) {
  const PointsView training(training_in, "training", score->dim());
  if (training->rows() < 2) throw py::value_error("training: needs at least 2 points");
  if (trajectories < 1) throw py::value_error("trajectories: must be at least 1");
  if (measure_every < 1) throw py::value_error("measure_every: must be at least 1");
  if (!(entropy_threshold >= 0)) throw py::value_error("entropy_threshold: must be at least 0");
  const std::vector<double> times = ou_times(T, t_min, dt);
  const TaskStreams key = task_streams(seed, task);
  bridge::CollapseCurves c;
  {
    py::gil_scoped_release release;
    c = bridge::collapse_curves(*score, *training, times, measure_every, trajectories, key(Purpose::dynamics));
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> entropy_per_dim;
  for (double s : c.entropy) entropy_per_dim.push_back(s / static_cast<double>(training->cols()));
  py::dict out;
  out["t_collapse"] = bridge::first_crossing(c.times, c.entropy, entropy_threshold).value_or(nan);
  out["t_collapse_nn"] = bridge::first_crossing(c.times, c.nn_fraction, 0.5).value_or(nan);
  out["times"] = to_numpy(std::move(c.times));
  out["nn_fraction"] = to_numpy(std::move(c.nn_fraction));
  out["entropy"] = to_numpy(std::move(c.entropy));
  out["entropy_err"] = to_numpy(std::move(c.entropy_err));
  out["entropy_per_dim"] = to_numpy(std::move(entropy_per_dim));
  out["max_weight"] = to_numpy(std::move(c.max_weight));
  return out;
}

// The bridge.speciation kind's cloning measurement: phi(t_b), the probability that a trajectory and its clone made
// at t_b land on the same side of `direction` (the classes of a two-class law), with the reverse OU SDE.
py::dict clone_agreement(const ScorePtr& score, const std::vector<double>& clone_times, const py::array& direction_in,
                         Eigen::Index trajectories, double T, double t_min, double dt, std::uint64_t seed,
                         const std::optional<py::tuple>& task) {
  const std::vector<double> d = reals(direction_in, "direction");
  if (static_cast<int>(d.size()) != score->dim())
    throw py::value_error(
        fmt::format("direction: has {} entries; the score's dimension is {}", d.size(), score->dim()));
  if (trajectories < 1) throw py::value_error("trajectories: must be at least 1");
  if (clone_times.empty()) throw py::value_error("clone_times: give at least one time");
  const std::vector<double> times = ou_times(T, t_min, dt);
  for (double t : clone_times)
    if (!(t >= times.back() && t <= times.front()))
      throw py::value_error(fmt::format("clone_times: {} is outside [t_min, T] = [{}, {}]", t, times.back(), T));
  const Eigen::VectorXd direction = Eigen::Map<const Eigen::VectorXd>(d.data(), static_cast<Eigen::Index>(d.size()));
  const TaskStreams key = task_streams(seed, task);
  bridge::CloneAgreement c;
  {
    py::gil_scoped_release release;
    c = bridge::clone_agreement(*score, times, clone_times, direction, trajectories, key(Purpose::dynamics));
  }
  py::dict out;
  out["t_b"] = to_numpy(std::move(c.t_b));
  out["phi"] = to_numpy(std::move(c.phi));
  out["phi_err"] = to_numpy(std::move(c.phi_err));
  return out;
}

Eigen::VectorXd vector_of(const ScorePtr& score, const py::array& a, const char* what) {
  const std::vector<double> v = reals(a, what);
  if (static_cast<int>(v.size()) != score->dim())
    throw py::value_error(fmt::format("{}: has {} entries; the score's dimension is {}", what, v.size(), score->dim()));
  return Eigen::Map<const Eigen::VectorXd>(v.data(), static_cast<Eigen::Index>(v.size()));
}

// The curvature of the landscape -log p_t along a unit direction at x, from the score alone.
double energy_curvature(const ScorePtr& score, const py::array& x_in, const py::array& direction_in, double t,
                        double h) {
  const Eigen::VectorXd x = vector_of(score, x_in, "x"), u = vector_of(score, direction_in, "direction");
  if (!(t > 0)) throw py::value_error("t: must be positive");
  if (!(h > 0)) throw py::value_error("h: must be positive");
  py::gil_scoped_release release;
  return bridge::energy_curvature(*score, x, u.normalized(), t, h);
}

// The bridge.landscape kind's symmetry breaking of a centre, from the score alone: the OU time in [t_lo, t_hi]
// where the centre turns from a minimum of -log p_t (later, larger t) into a saddle (earlier); NaN without a
// sign change there.
double centre_instability_time(const ScorePtr& score, const py::array& centre_in, const py::array& direction_in,
                               double t_lo, double t_hi, double tolerance, double h) {
  const Eigen::VectorXd centre = vector_of(score, centre_in, "centre");
  const Eigen::VectorXd u = vector_of(score, direction_in, "direction");
  if (!(u.norm() > 0)) throw py::value_error("direction: must not be zero");
  if (!(t_lo > 0)) throw py::value_error("t_lo: must be positive");
  if (!(t_hi > t_lo)) throw py::value_error("t_hi: must exceed t_lo");
  if (!(tolerance > 0)) throw py::value_error("tolerance: must be positive");
  if (!(h > 0)) throw py::value_error("h: must be positive");
  py::gil_scoped_release release;
  return bridge::centre_instability_time(*score, centre, u.normalized(), t_lo, t_hi, tolerance, h);
}

}  // namespace

void bind_bridge(py::module_& m) {
  auto b = m.def_submodule("bridge");
  b.def("memorization", &memorization, py::arg("score"), py::arg("training"), py::arg("samples") = 1000,
        py::arg("ratio") = 1.0 / 3.0, py::arg("T") = 3.0, py::arg("t_min") = 1e-3, py::arg("dt") = 0.01,
        py::arg("seed") = 0, py::arg("task") = py::none());
  b.def("collapse", &collapse, py::arg("score"), py::arg("training"), py::arg("trajectories") = 500, py::arg("T") = 4.0,
        py::arg("t_min") = 1e-3, py::arg("dt") = 0.01, py::arg("measure_every") = 2,
        py::arg("entropy_threshold") = std::log(2.0), py::arg("seed") = 0, py::arg("task") = py::none());
  b.def("clone_agreement", &clone_agreement, py::arg("score"), py::arg("clone_times"), py::arg("direction"),
        py::arg("trajectories") = 10000, py::arg("T") = 5.0, py::arg("t_min") = 1e-3, py::arg("dt") = 0.01,
        py::arg("seed") = 0, py::arg("task") = py::none());
  b.def("energy_curvature", &energy_curvature, py::arg("score"), py::arg("x"), py::arg("direction"), py::arg("t"),
        py::arg("h") = 1e-4);
  b.def("centre_instability_time", &centre_instability_time, py::arg("score"), py::arg("centre"), py::arg("direction"),
        py::arg("t_lo") = 0.01, py::arg("t_hi") = 2.0, py::arg("tolerance") = 1e-9, py::arg("h") = 1e-4);
  b.def("backward_times", &ou_times, py::arg("T"), py::arg("t_min"), py::arg("dt"),
        "the decreasing OU time grid from T to t_min in equal steps no longer than dt");
}

}  // namespace spindiff::python
