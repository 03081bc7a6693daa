// spindiff.langevin: the Langevin integrators (Euler-Maruyama, MALA, BAOAB) over a built-in potential named as in
// the langevin kinds, a diffusion score (force T s), or a Python callable gradient (and energy).
#include <fmt/format.h>
#include <pybind11/stl.h>

#include <cmath>
#include <initializer_list>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>

#include "bindings.hpp"
#include "numpy_arrays.hpp"
#include "spindiff/langevin/integrators.hpp"
#include "spindiff/langevin/potentials.hpp"

namespace spindiff::python {

namespace {

namespace sl = spindiff::langevin;

// U given by Python: gradient(x[n, d]) -> [n, d] and optionally energy(x[n, d]) -> [n]. The GIL is taken only
// for the calls; x is lent read-only (column-major, as the integrators keep it).
struct CallablePotential {
  std::shared_ptr<py::function> gradient, energy;  // energy may be empty
  int dim = 1;
  static constexpr bool has_energy = true;  // MALA is refused up front when `energy` is missing

  static py::array_t<double> lend(const sl::Coords& x) {
    py::array_t<double> view(
        {x.rows(), x.cols()},
        {static_cast<py::ssize_t>(sizeof(double)), static_cast<py::ssize_t>(sizeof(double) * x.rows())}, x.data(),
        py::none());
    py::detail::array_proxy(view.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
    return view;
  }
  void evaluate(const sl::Coords& x, sl::Values* u, sl::Coords* g, sl::Workspace&) const {
    py::gil_scoped_acquire acquire;
    const py::array_t<double> view = lend(x);
    if (g) {
      const py::object result = (*gradient)(view);
      const auto a = py::array_t<double, py::array::f_style | py::array::forcecast>::ensure(result);
      if (!a || a.ndim() != 2 || a.shape(0) != x.rows() || a.shape(1) != x.cols())
        throw py::value_error(fmt::format("gradient callable must return a float array of shape ({}, {}); got {}",
                                          x.rows(), x.cols(), a ? describe_array(a) : "no array"));
      *g = Eigen::Map<const sl::Coords>(a.data(), x.rows(), x.cols());
    }
    if (u) {
      if (!energy) {
        u->setConstant(x.rows(), std::numeric_limits<double>::quiet_NaN());
        return;
      }
      const py::object result = (*energy)(view);
      const auto a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(result);
      if (!a || a.ndim() != 1 || a.shape(0) != x.rows())
        throw py::value_error(fmt::format("energy callable must return a float array of shape ({},); got {}", x.rows(),
                                          a ? describe_array(a) : "no array"));
      *u = Eigen::Map<const sl::Values>(a.data(), x.rows());
    }
  }
};

// A potential from Python's point of view: a built-in one (owning what it points to) or a callable.
struct PyPotential {
  std::variant<sl::Potential, CallablePotential> potential;
  std::shared_ptr<const diffusion::ScoreModel> score;  // keeps a ScorePotential's model alive
  std::string description;
  int dim() const {
    return std::visit(
        [](const auto& p) {
          if constexpr (std::is_same_v<std::decay_t<decltype(p)>, CallablePotential>)
            return p.dim;
          else
            return sl::potential_dim(p);
        },
        potential);
  }
  bool has_energy() const {
    if (const auto* c = std::get_if<CallablePotential>(&potential)) return static_cast<bool>(c->energy);
    return sl::potential_has_energy(std::get<sl::Potential>(potential));
  }
};

std::shared_ptr<PyPotential> named_potential(const std::string& name, int dim, double T, double k, double a, double b,
                                             double mb_scale, const std::vector<double>& weights,
                                             const std::optional<py::array>& means, const std::vector<double>& sigmas) {
  sl::PotentialSpec spec;
  spec.name = name;
  spec.dim = dim;
  spec.T = T;
  spec.k = k;
  spec.a = a;
  spec.b = b;
  spec.mb_scale = mb_scale;
  spec.weights = weights;
  spec.sigmas = sigmas;
  if (means) {
    const diffusion::Points m = points_copy(*means, "means", dim);
    for (Eigen::Index r = 0; r < m.rows(); ++r)
      for (Eigen::Index c = 0; c < m.cols(); ++c) spec.means.push_back(m(r, c));
  }
  if (dim < 1) throw py::value_error("dim: must be at least 1");
  if (!(T > 0)) throw py::value_error("T: must be positive (the mixture potential is -T log p)");
  auto out = std::make_shared<PyPotential>();
  try {
    out->potential = sl::make_potential(spec);
  } catch (const std::invalid_argument& e) {
    throw py::value_error(fmt::format("potential: {} (names: harmonic, double_well, muller_brown, mixture)", e.what()));
  }
  out->description = fmt::format("{} dim={}", name, sl::potential_dim(std::get<sl::Potential>(out->potential)));
  return out;
}

struct Integration {
  std::string method = "euler";
  double T = 1.0, dt = 1e-3, gamma = 1.0, mass = 1.0;
  std::int64_t steps = 1000;
  std::int64_t record_every = 0;  // 0: no trajectory
  // A start drawn by the integration itself: x is then the number of particles, each coordinate c uniform in
  // [box_lo[c], box_hi[c]] (one entry: every coordinate), drawn from the block's stream before the first step in
  // the order the langevin.boltzmann kind starts a block of particles.
  std::vector<double> box_lo, box_hi;
};

template <class P>
py::dict integrate_with(const P& potential, sl::Method method, const Integration& o, sl::Coords x,
                        const Stream& stream) {
  std::vector<double> frames;
  std::int64_t recorded = 0;
  sl::Block b(x.rows(), static_cast<int>(x.cols()), stream);
  {
    py::gil_scoped_release release;
    const sl::Stepper<P> stepper(potential, method, sl::Dynamics{o.T, o.dt, o.gamma, o.mass});
    if (o.box_lo.empty()) {
      b.x = std::move(x);
    } else {
      for (Eigen::Index c = 0; c < b.x.cols(); ++c) {
        const auto k = o.box_lo.size() == 1 ? 0 : static_cast<std::size_t>(c);
        for (Eigen::Index i = 0; i < b.x.rows(); ++i) b.x(i, c) = b.rng.uniform(o.box_lo[k], o.box_hi[k]);
      }
    }
    stepper.prepare(b);
    auto record = [&] {
      for (Eigen::Index i = 0; i < b.x.rows(); ++i)
        for (Eigen::Index c = 0; c < b.x.cols(); ++c) frames.push_back(b.x(i, c));
      ++recorded;
    };
    if (o.record_every > 0) record();
    for (std::int64_t t = 1; t <= o.steps; ++t) {
      stepper.step(b);
      if (o.record_every > 0 && t % o.record_every == 0) record();
      if (t % 256 == 0 && !b.x.allFinite())
        throw std::runtime_error(fmt::format("the particles diverged by step {} (dt = {} is too large)", t, o.dt));
    }
    if (!b.x.allFinite()) throw std::runtime_error(fmt::format("the particles diverged (dt = {} is too large)", o.dt));
  }
  py::dict out;
  out["x"] = to_numpy(Eigen::MatrixXd(b.x.matrix()));
  if (method == sl::Method::baoab) out["v"] = to_numpy(Eigen::MatrixXd(b.v.matrix()));
  out["acceptance"] = b.proposed ? static_cast<double>(b.accepted) / static_cast<double>(b.proposed)
                                 : std::numeric_limits<double>::quiet_NaN();
  if (o.record_every > 0)
    out["trajectory"] =
        to_numpy(std::move(frames), {static_cast<py::ssize_t>(recorded), static_cast<py::ssize_t>(b.x.rows()),
                                     static_cast<py::ssize_t>(b.x.cols())});
  return out;
}

py::dict integrate(const PyPotential& pot, const py::object& x0, const Integration& o, std::uint64_t seed,
                   const std::optional<py::tuple>& stream) {
  sl::Method method;
  try {
    method = sl::parse_method(o.method);
  } catch (const std::invalid_argument&) {
    throw py::value_error("method: unknown '" + o.method + "'; allowed: euler, mala, baoab");
  }
  const std::initializer_list<std::pair<const char*, double>> positive = {
      {"T", o.T}, {"dt", o.dt}, {"gamma", o.gamma}, {"mass", o.mass}};
  for (const auto& [name, v] : positive)
    if (!(v > 0) || !std::isfinite(v)) throw py::value_error(fmt::format("{}: must be positive and finite", name));
  if (o.steps < 0) throw py::value_error("steps: must be at least 0");
  if (o.record_every < 0) throw py::value_error("record_every: must be at least 0 (0: no trajectory)");
  if (method == sl::Method::mala && !pot.has_energy())
    throw py::value_error("method: mala needs the potential's energy (give energy= to CallablePotential)");
  sl::Coords x;
  if (o.box_lo.empty()) {
    if (!py::isinstance<py::array>(x0))
      throw py::type_error("x: must be a float64 array of shape (n, d); got " +
                           py::str(py::type::of(x0)).cast<std::string>());
    x = points_copy(x0.cast<py::array>(), "x", pot.dim()).array();
  } else {
    const auto d = static_cast<std::size_t>(pot.dim());
    if (o.box_lo.size() != o.box_hi.size() || (o.box_lo.size() != 1 && o.box_lo.size() != d))
      throw py::value_error(fmt::format("box: give (lo, hi) as two numbers or two lists of {} numbers", d));
    for (std::size_t c = 0; c < o.box_lo.size(); ++c)
      if (!std::isfinite(o.box_lo[c]) || !(o.box_hi[c] > o.box_lo[c]))
        throw py::value_error("box: needs finite lo < hi in every coordinate");
    if (!py::isinstance<py::int_>(x0) || x0.cast<std::int64_t>() < 1)
      throw py::value_error("x: with box, the number of particles (an integer of at least 1)");
    x.setZero(x0.cast<Eigen::Index>(), pot.dim());
  }
  const Stream noise = stream_from(seed, stream, Purpose::dynamics);
  return std::visit(
      [&](const auto& p) -> py::dict {
        using P = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<P, CallablePotential>)
          return integrate_with(p, method, o, std::move(x), noise);
        else
          return std::visit([&](const auto& q) { return integrate_with(q, method, o, std::move(x), noise); }, p);
      },
      pot.potential);
}

// Energies and gradients at points (n, d), for plotting and checks.
py::tuple evaluate(const PyPotential& pot, const py::array& x0) {
  const diffusion::Points points = points_copy(x0, "x", pot.dim());
  const sl::Coords x = points.array();
  sl::Values u(x.rows());
  sl::Coords g(x.rows(), x.cols());
  sl::Workspace ws;
  std::visit(
      [&](const auto& p) {
        using P = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<P, CallablePotential>) {
          p.evaluate(x, &u, &g, ws);
        } else {
          py::gil_scoped_release release;
          std::visit(
              [&](const auto& q) {
                q.evaluate(x, std::decay_t<decltype(q)>::has_energy ? &u : nullptr, &g, ws);
                if (!std::decay_t<decltype(q)>::has_energy) u.setConstant(std::numeric_limits<double>::quiet_NaN());
              },
              p);
        }
      },
      pot.potential);
  return py::make_tuple(to_numpy(Eigen::VectorXd(u.matrix())), to_numpy(Eigen::MatrixXd(g.matrix())));
}

}  // namespace

void bind_langevin(py::module_& m) {
  auto l = m.def_submodule("langevin");
  py::class_<PyPotential, std::shared_ptr<PyPotential>>(l, "Potential")
      .def(py::init(&named_potential), py::arg("name"), py::arg("dim") = 1, py::arg("T") = 1.0, py::arg("k") = 1.0,
           py::arg("a") = 0.25, py::arg("b") = 0.5, py::arg("mb_scale") = 1.0,
           py::arg("weights") = std::vector<double>{}, py::arg("means") = py::none(),
           py::arg("sigmas") = std::vector<double>{},
           "a built-in potential by the langevin kinds' names: harmonic (k), double_well (a, b), muller_brown "
           "(mb_scale), mixture (weights, means (K, dim), sigmas; U = -T log p)")
      .def_property_readonly("dim", &PyPotential::dim)
      .def_property_readonly("has_energy", &PyPotential::has_energy)
      .def("evaluate", &evaluate, py::arg("x"), "(energies (n,), gradients (n, d)) at the points x (n, d)")
      .def("__repr__", [](const PyPotential& p) { return "<spindiff.langevin.Potential " + p.description + ">"; });

  l.def(
      "callable_potential",
      [](py::function gradient, int dim, const std::optional<py::function>& energy) {
        if (dim < 1) throw py::value_error("dim: must be at least 1");
        auto out = std::make_shared<PyPotential>();
        CallablePotential c;
        // The functions are released with the GIL held (the deleter runs where Python drops the potential).
        c.gradient = std::make_shared<py::function>(std::move(gradient));
        if (energy) c.energy = std::make_shared<py::function>(*energy);
        c.dim = dim;
        out->potential = std::move(c);
        out->description = fmt::format("callable dim={}", dim);
        return out;
      },
      py::arg("gradient"), py::arg("dim"), py::arg("energy") = py::none());

  l.def(
      "score_potential",
      [](std::shared_ptr<diffusion::ScoreModel> score, double sigma, double T) {
        if (!(T > 0)) throw py::value_error("T: must be positive");
        if (!(sigma >= 0)) throw py::value_error("sigma: must be at least 0");
        auto out = std::make_shared<PyPotential>();
        sl::ScorePotential p;
        p.model = score.get();
        p.level = diffusion::NoiseLevel{0.0, 1.0, sigma};
        p.T = T;
        p.dim = score->dim();
        out->potential = sl::Potential(p);
        out->score = std::move(score);
        out->description = fmt::format("score sigma={} T={}", sigma, T);
        return out;
      },
      py::arg("score"), py::arg("sigma"), py::arg("T") = 1.0);

  py::class_<Integration>(l, "Integration")
      .def(py::init<>())
      .def_readwrite("method", &Integration::method)
      .def_readwrite("T", &Integration::T)
      .def_readwrite("dt", &Integration::dt)
      .def_readwrite("gamma", &Integration::gamma)
      .def_readwrite("mass", &Integration::mass)
      .def_readwrite("steps", &Integration::steps)
      .def_readwrite("record_every", &Integration::record_every)
      .def_readwrite("box_lo", &Integration::box_lo)
      .def_readwrite("box_hi", &Integration::box_hi);
  l.def("integrate", &integrate, py::arg("potential"), py::arg("x"), py::arg("options"), py::arg("seed") = 0,
        py::arg("stream") = py::none());
}

}  // namespace spindiff::python
