// spindiff.diffusion: score models (built-in or any Python callable), forward processes, schedules,
// the samplers and the sample-quality metrics.
#include <fmt/format.h>
#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>

#include "bindings.hpp"
#include "numpy_arrays.hpp"
#include "spindiff/diffusion/empirical_score.hpp"
#include "spindiff/diffusion/forward_process.hpp"
#include "spindiff/diffusion/gaussian_mixture.hpp"
#include "spindiff/diffusion/metrics.hpp"
#include "spindiff/diffusion/mlp.hpp"
#include "spindiff/diffusion/samplers.hpp"
#include "spindiff/diffusion/schedule.hpp"
#include "spindiff/diffusion/unit_scale_score.hpp"
#include "spindiff/kinds/diffusion/mlp_weights.hpp"

namespace spindiff::python {

namespace {

namespace dd = spindiff::diffusion;
using ScorePtr = std::shared_ptr<dd::ScoreModel>;

// A score given by Python: f(x[n, d], sigma) -> [n, d], the score of the data smoothed by N(0, sigma^2 I)
// (unit scale). x is handed over without a copy (read-only); the GIL is taken only for the call.
class CallableScore final : public dd::ScoreModel {
 public:
  CallableScore(py::function f, int dim) : f_(std::move(f)), dim_(dim) {
    if (dim < 1) throw std::invalid_argument("dim: must be at least 1");
  }
  ~CallableScore() override {
    py::gil_scoped_acquire acquire;
    f_ = py::function();
  }
  void score(const dd::Points& x, const dd::NoiseLevel& level, dd::Points& out) const override {
    py::gil_scoped_acquire acquire;
    py::array_t<double> view({x.rows(), x.cols()}, x.data(), py::none());
    py::detail::array_proxy(view.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
    const py::object result = f_(view, level.sigma);
    const py::array a = py::array::ensure(result);
    if (!a || a.dtype().kind() == 'O')
      throw py::type_error(fmt::format("score callable must return an array of shape (n, d) of numbers; got {}",
                                       py::str(py::type::of(result)).cast<std::string>()));
    if (a.ndim() != 2 || a.shape(0) != x.rows() || a.shape(1) != x.cols())
      throw py::value_error(
          fmt::format("score callable returned a {}; expected shape ({}, {})", describe_array(a), x.rows(), x.cols()));
    const auto c = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(a);
    if (!c) throw py::type_error("score callable must return a numeric array; got a " + describe_array(a));
    const Eigen::Map<const dd::Points> values(c.data(), x.rows(), x.cols());
    // A NaN or infinity would travel silently through every sampler and analysis: refused here, where it is made.
    if (!values.allFinite())
      throw py::value_error(fmt::format("score callable returned a non-finite value at sigma = {}", level.sigma));
    out = values;
  }
  int dim() const override { return dim_; }

 private:
  py::function f_;
  int dim_;
};

Eigen::MatrixXd::Index dim_of(const dd::ScoreModel& s) { return s.dim(); }

py::array_t<double> evaluate(const dd::ScoreModel& s, const py::array& x, double sigma, double scale, double t) {
  const dd::Points points = points_copy(x, "x", dim_of(s));
  dd::Points out(points.rows(), points.cols());
  {
    py::gil_scoped_release release;
    s.score(points, dd::NoiseLevel{t, scale, sigma}, out);
  }
  return to_numpy(std::move(out));
}

struct SamplerOptions {
  std::string sampler = "euler_maruyama";
  std::string process = "auto";
  int steps = 500;
  int steps_per_level = 100;
  double step_size = 0.1;
  double langevin_sigma = 0.0;
  int levels = 10;
  double sigma_max = 20.0;
  double sigma_min = 1.0;
  int corrector_steps = 1;
  double snr = 0.16;
  bool final_denoise = false;
};

const dd::SamplerInfo& sampler_named(const std::string& name) {
  const auto names = dd::sampler_names();
  if (std::find(names.begin(), names.end(), name) == names.end())
    throw py::value_error(fmt::format("sampler: unknown '{}'; allowed: {}", name, fmt::join(names, ", ")));
  return dd::find_sampler(name);
}

void check_options(const SamplerOptions& o, const dd::SamplerInfo& info) {
  if (o.steps < 1) throw py::value_error("steps: must be at least 1");
  if (o.steps_per_level < 1) throw py::value_error("steps_per_level: must be at least 1");
  if (o.levels < 1) throw py::value_error("levels: must be at least 1");
  if (o.corrector_steps < 0) throw py::value_error("corrector_steps: must be at least 0");
  if (!(o.step_size > 0)) throw py::value_error("step_size: must be positive");
  if (info.grid == dd::SamplerGrid::noise_levels && !(o.sigma_max >= o.sigma_min && o.sigma_min > 0))
    throw py::value_error("sigma_min: needs 0 < sigma_min <= sigma_max");
}

// The sampler's grid and options as the diffusion.sample kind builds them: the process's time grid, or
// sigma levels read on the EDM process (sigma(t) = t, a = 1) for the Langevin samplers.
long run_sampler(const SamplerOptions& o, const dd::SamplerInfo& info, const dd::ScoreModel& score,
                 const dd::ForwardProcess& process, dd::Points& x, const Stream& noise) {
  dd::SamplerOptions options;
  options.step_size = o.step_size;
  options.steps_per_level = info.grid == dd::SamplerGrid::fixed_level ? o.steps : o.steps_per_level;
  options.corrector_steps = o.corrector_steps;
  options.snr = o.snr;
  options.final_denoise = o.final_denoise;
  const dd::Edm sigma_levels;
  std::vector<double> grid;
  switch (info.grid) {
    case dd::SamplerGrid::fixed_level:
      grid = {o.langevin_sigma};
      break;
    case dd::SamplerGrid::noise_levels:
      grid = dd::geometric(o.sigma_max, o.sigma_min, o.levels);
      break;
    case dd::SamplerGrid::process_times:
      grid = process.default_times(o.steps);
      break;
  }
  const dd::ForwardProcess& grid_process =
      info.grid == dd::SamplerGrid::process_times ? process : static_cast<const dd::ForwardProcess&>(sigma_levels);
  return info.run(score, grid_process, grid, x, noise, options, nullptr);
}

std::unique_ptr<dd::ForwardProcess> process_named(const std::string& name) {
  try {
    return dd::make_process(name);
  } catch (const std::exception&) {
    throw py::value_error("process: unknown '" + name + "'; allowed: auto, ve, vp, ddpm, ou, edm");
  }
}

py::tuple sample(const ScorePtr& score, const py::array& x0, const SamplerOptions& o, std::uint64_t seed,
                 const std::optional<py::tuple>& stream) {
  const dd::SamplerInfo& info = sampler_named(o.sampler);
  check_options(o, info);
  const auto process = process_named(o.process == "auto" ? info.preferred_process : o.process);
  if (info.needs_variance_preserving && !process->variance_preserving())
    throw py::value_error(
        fmt::format("process: the {} sampler needs a variance-preserving process: vp, ddpm or ou", info.name));
  dd::Points x = points_copy(x0, "x", score->dim());
  const Stream noise = stream_from(seed, stream, Purpose::dynamics);
  long nfe = 0;
  {
    py::gil_scoped_release release;
    nfe = run_sampler(o, info, *score, *process, x, noise);
  }
  return py::make_tuple(to_numpy(std::move(x)), nfe);
}

}  // namespace

void bind_diffusion(py::module_& m) {
  auto d = m.def_submodule("diffusion");

  py::class_<dd::ScoreModel, ScorePtr>(d, "Score")
      .def_property_readonly("dim", &dd::ScoreModel::dim)
      .def("__call__", &evaluate, py::arg("x"), py::arg("sigma"), py::arg("scale") = 1.0, py::arg("t") = 0.0,
           "the score at noise level sigma (and mean scale a): an (n, d) array");

  py::class_<dd::GaussianMixtureScore, dd::ScoreModel, std::shared_ptr<dd::GaussianMixtureScore>>(
      d, "GaussianMixtureScore")
      .def(py::init([](const std::vector<double>& w, const py::object& means, const std::vector<double>& s) {
             // Constructor arguments may be lists: converted once, unlike the sampled points.
             const auto m = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(means);
             if (!m) throw py::type_error("means must be a (K, d) array of numbers");
             const dd::Points mu = points_copy(m, "means");
             if (w.size() != static_cast<std::size_t>(mu.rows()) || s.size() != w.size())
               throw py::value_error(
                   fmt::format("weights ({}), means ({} rows) and stds ({}) must have one entry "
                               "per component",
                               w.size(), mu.rows(), s.size()));
             return std::make_shared<dd::GaussianMixtureScore>(dd::isotropic_mixture(w, mu, s));
           }),
           py::arg("weights"), py::arg("means"), py::arg("stds"))
      .def(
          "sample_data",
          [](const dd::GaussianMixtureScore& s, Eigen::Index n, std::uint64_t seed,
             const std::optional<py::tuple>& stream) {
            if (n < 1) throw py::value_error("n: must be at least 1");
            Stream rng = stream_from(seed, stream, Purpose::patterns);
            return to_numpy(dd::sample_mixture(s.mixture(), n, rng));
          },
          py::arg("n"), py::arg("seed") = 0, py::arg("stream") = py::none(), "n samples of the data distribution")
      .def_property_readonly(
          "weights", [](const dd::GaussianMixtureScore& s) { return to_numpy(Eigen::VectorXd(s.mixture().weights)); })
      .def_property_readonly("means",
                             [](const dd::GaussianMixtureScore& s) { return to_numpy(dd::Points(s.mixture().means)); });

  py::class_<dd::EmpiricalScore, dd::ScoreModel, std::shared_ptr<dd::EmpiricalScore>>(d, "EmpiricalScore")
      .def(py::init([](const py::array& training) {
             return std::make_shared<dd::EmpiricalScore>(points_copy(training, "training"));
           }),
           py::arg("training"))
      .def_property_readonly("training",
                             [](const dd::EmpiricalScore& s) { return to_numpy(dd::Points(s.training())); });

  d.def(
      "load_learned_score",
      [](const std::string& path) -> ScorePtr {
        try {
          // diffusion.train learns the unit-scale score; the wrapper serves every process.
          return std::make_shared<dd::UnitScaleScore>(
              dd::make_learned_score(runner::diffusion_kinds::read_mlp_weights(path)));
        } catch (const std::exception& e) {
          throw py::value_error(fmt::format("cannot load MLP weights from {}: {}", path, e.what()));
        }
      },
      py::arg("path"), "the MLP of a diffusion.train result (or weights file)");
  d.def(
      "callable_score",
      [](py::function f, int dim) -> ScorePtr {
        return std::make_shared<dd::UnitScaleScore>(std::make_unique<CallableScore>(std::move(f), dim));
      },
      py::arg("function"), py::arg("dim"), "a Score from f(x[n, d], sigma) -> [n, d] (the unit-scale score)");

  py::class_<dd::ForwardProcess, std::shared_ptr<dd::ForwardProcess>>(d, "Process")
      .def(py::init([](const std::string& name) { return std::shared_ptr<dd::ForwardProcess>(process_named(name)); }),
           py::arg("name"))
      .def_property_readonly("name", &dd::ForwardProcess::name)
      .def("scale", &dd::ForwardProcess::scale, py::arg("t"))
      .def("sigma", &dd::ForwardProcess::sigma, py::arg("t"))
      .def("drift_rate", &dd::ForwardProcess::drift_rate, py::arg("t"))
      .def("diffusion", &dd::ForwardProcess::diffusion, py::arg("t"))
      .def_property_readonly("t_end", &dd::ForwardProcess::t_end)
      .def_property_readonly("t_start", &dd::ForwardProcess::t_start)
      .def(
          "times", [](const dd::ForwardProcess& p, int steps) { return p.default_times(steps); }, py::arg("steps"),
          "the default decreasing time grid of `steps` steps")
      .def(
          "sample_prior",
          [](const dd::ForwardProcess& p, Eigen::Index n, Eigen::Index dim, std::uint64_t seed,
             const std::optional<py::tuple>& stream) {
            if (n < 1 || dim < 1) throw py::value_error("n and dim: must be at least 1");
            dd::Points x(n, dim);
            p.sample_prior(x, stream_from(seed, stream, Purpose::init));
            return to_numpy(std::move(x));
          },
          py::arg("n"), py::arg("dim"), py::arg("seed") = 0, py::arg("stream") = py::none());

  py::class_<SamplerOptions>(d, "SamplerOptions")
      .def(py::init<>())
      .def_readwrite("sampler", &SamplerOptions::sampler)
      .def_readwrite("process", &SamplerOptions::process)
      .def_readwrite("steps", &SamplerOptions::steps)
      .def_readwrite("steps_per_level", &SamplerOptions::steps_per_level)
      .def_readwrite("step_size", &SamplerOptions::step_size)
      .def_readwrite("langevin_sigma", &SamplerOptions::langevin_sigma)
      .def_readwrite("levels", &SamplerOptions::levels)
      .def_readwrite("sigma_max", &SamplerOptions::sigma_max)
      .def_readwrite("sigma_min", &SamplerOptions::sigma_min)
      .def_readwrite("corrector_steps", &SamplerOptions::corrector_steps)
      .def_readwrite("snr", &SamplerOptions::snr)
      .def_readwrite("final_denoise", &SamplerOptions::final_denoise);
  d.attr("samplers") = dd::sampler_names();
  d.def("sample", &sample, py::arg("score"), py::arg("x"), py::arg("options"), py::arg("seed") = 0,
        py::arg("stream") = py::none());

  d.def("geometric", &dd::geometric, py::arg("first"), py::arg("last"), py::arg("n"));
  d.def("linspace", &dd::linspace, py::arg("first"), py::arg("last"), py::arg("n"));
  d.def("edm_sigmas", &dd::edm_sigmas, py::arg("n"), py::arg("sigma_min") = 0.002, py::arg("sigma_max") = 80.0,
        py::arg("rho") = 7.0, py::arg("append_zero") = true);
  d.def("ddpm_betas", &dd::ddpm_betas, py::arg("steps") = 1000, py::arg("beta_first") = 1e-4,
        py::arg("beta_last") = 0.02);

  d.def(
      "mmd2",
      [](const py::array& x, const py::array& y, double bandwidth) {
        const PointsView a(x, "x"), b(y, "y", a->cols());
        py::gil_scoped_release release;
        return dd::mmd2_unbiased(*a, *b, bandwidth > 0 ? bandwidth : dd::median_distance(*a, *b));
      },
      py::arg("x"), py::arg("y"), py::arg("bandwidth") = 0.0,
      "unbiased MMD^2 with a Gaussian kernel (bandwidth 0: the median distance)");
  d.def(
      "sliced_w2",
      [](const py::array& x, const py::array& y, int projections, std::uint64_t seed,
         const std::optional<py::tuple>& stream) {
        if (projections < 1) throw py::value_error("projections: must be at least 1");
        const PointsView a(x, "x"), b(y, "y", a->cols());
        Stream rng = stream_from(seed, stream, Purpose::evaluation);
        py::gil_scoped_release release;
        return dd::sliced_wasserstein(*a, *b, projections, rng);
      },
      py::arg("x"), py::arg("y"), py::arg("projections") = 200, py::arg("seed") = 0, py::arg("stream") = py::none());
  d.def(
      "nearest_training_distances",
      [](const py::array& samples, const py::array& training) {
        const PointsView a(samples, "samples"), b(training, "training", a->cols());
        if (b->rows() < 2) throw py::value_error("training: needs at least 2 points");
        Eigen::MatrixXd out;
        {
          py::gil_scoped_release release;
          out = dd::nearest_two_distances(*a, *b);
        }
        return to_numpy(std::move(out));
      },
      py::arg("samples"), py::arg("training"), "(n, 2): distance to the nearest and second-nearest training point");
  d.def(
      "mode_fractions",
      [](const py::array& samples, const py::array& modes) {
        const PointsView a(samples, "samples"), b(modes, "modes", a->cols());
        return to_numpy(Eigen::VectorXd(dd::mode_fractions(*a, *b)));
      },
      py::arg("samples"), py::arg("modes"));
}

}  // namespace spindiff::python
