#include "sample_kind.hpp"

#include <fmt/format.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "data_source.hpp"
#include "spindiff/diffusion/empirical_score.hpp"
#include "spindiff/diffusion/forward_process.hpp"
#include "spindiff/diffusion/gaussian_mixture.hpp"
#include "spindiff/diffusion/metrics.hpp"
#include "spindiff/diffusion/mlp.hpp"
#include "spindiff/diffusion/samplers.hpp"
#include "spindiff/diffusion/schedule.hpp"
#include "spindiff/diffusion/unit_scale_score.hpp"
#include "spindiff/io/mlp_weights.hpp"

namespace spindiff::runner {

namespace dd = spindiff::diffusion;
using diffusion_kinds::data_params;
using diffusion_kinds::draw_data;
using diffusion_kinds::flatten;
using diffusion_kinds::mixture_of;
using diffusion_kinds::validate_data;

namespace {

const std::vector<std::string> kSamplers = {
    "langevin", "annealed_langevin", "euler_maruyama", "predictor_corrector", "ode_euler", "ode_heun", "ddpm"};

// The learned (MLP) score of a weights file; a load failure is a configuration error.
std::unique_ptr<dd::ScoreModel> load_learned_score(const std::string& weights_file) {
  try {
    // diffusion.train learns the unit-scale (VE) score; the wrapper serves VP, DDPM and OU exactly.
    return std::make_unique<dd::UnitScaleScore>(dd::make_learned_score(io::read_mlp_weights(weights_file)));
  } catch (const std::exception& e) {
    throw ConfigError("", "weights", fmt::format("cannot load MLP weights from {}: {}", weights_file, e.what()));
  }
}

std::vector<ParamSpec> sample_params() {
  std::vector<ParamSpec> p = data_params();
  const std::vector<ParamSpec> own = {
      choice_param("score", "exact", {"exact", "empirical", "learned"},
                   "exact (mixture data), empirical (score of n_train training points) or learned (weights file)"),
      optional_file_param("weights",
                          "HDF5 weights of a learned score (score = learned): a diffusion.train "
                          "result or a weights file"),
      integer_param("n_train", 1000, 2, 1e7, "training points of the empirical score"),
      choice_param("process", "auto", {"auto", "ve", "vp", "ddpm", "ou", "edm"},
                   "forward process; auto: edm for ode_euler/ode_heun, ddpm for ddpm, vp otherwise"),
      summary(choice_param("sampler", "euler_maruyama", kSamplers, "sampler")),
      integer_param("steps", 500, 1, 1e7, "time steps (SDE, ODE, DDPM samplers); total steps of plain langevin"),
      integer_param("steps_per_level", 100, 1, 1e7, "annealed_langevin: Langevin steps per sigma level"),
      real_param("step_size", 0.1, 0.0, std::nullopt, "epsilon of langevin and annealed_langevin"),
      real_param("langevin_sigma", 0.0, 0.0, std::nullopt,
                 "noise level of the fixed score in plain langevin (0: the data score, exact score only)"),
      integer_param("levels", 10, 1, 1e6, "annealed_langevin: number of geometric sigma levels"),
      real_param("sigma_max", 20.0, 0.0, std::nullopt, "annealed_langevin: largest sigma"),
      real_param("sigma_min", 1.0, 0.0, std::nullopt, "annealed_langevin: smallest sigma"),
      integer_param("corrector_steps", 1, 0, 1e4, "predictor_corrector: Langevin corrector steps per time step"),
      real_param("snr", 0.16, 0.0, std::nullopt, "predictor_corrector: signal-to-noise ratio of the corrector"),
      integer_param("n_samples", 1280, 2, 1e8, "points generated per repeat"),
      choice_param(
          "init", "prior", {"prior", "uniform"},
          "start from the process prior N(0, sigma(T)^2 I) (annealed: sigma_max; langevin: N(0, I)) or uniformly"),
      real_param("init_low", -8.0, std::nullopt, std::nullopt, "init = uniform: lower edge of the box"),
      real_param("init_high", 8.0, std::nullopt, std::nullopt, "init = uniform: upper edge of the box"),
      integer_param("n_eval", 2000, 2, 1e7, "fresh data points for MMD and sliced Wasserstein"),
      real_param("mmd_bandwidth", 0.0, 0.0, std::nullopt, "Gaussian kernel width of the MMD (0: median distance)"),
      integer_param("projections", 200, 1, 1e6, "random directions of the sliced Wasserstein distance"),
      integer_param("trajectories", 5, 0, 1000, "whole trajectories recorded (first repeat)"),
      integer_param("trajectory_every", 10, 1, 1e7, "record a trajectory frame every this many steps"),
  };
  p.insert(p.end(), own.begin(), own.end());
  return p;
}

std::unique_ptr<dd::ForwardProcess> make_process(const Params& p) {
  std::string name = p.string("process");
  if (name == "auto") {
    const auto& sampler = p.string("sampler");
    name = sampler == "ode_euler" || sampler == "ode_heun" ? "edm" : sampler == "ddpm" ? "ddpm" : "vp";
  }
  return dd::make_process(name);
}

void validate(const Params& p) {
  validate_data(p);
  const auto& score = p.string("score");
  const auto& sampler = p.string("sampler");
  if (score == "exact" && p.string("data") != "mixture")
    throw ConfigError("", "score", "the exact score needs data = \"mixture\"; use empirical or learned");
  if (score == "learned" && p.string("weights").empty())
    throw ConfigError("", "weights", "score = \"learned\" needs a weights file");
  if (score == "learned") load_learned_score(p.string("weights"));
  if (sampler == "langevin" && score != "exact" && !(p.real("langevin_sigma") > 0))
    throw ConfigError("", "langevin_sigma", "plain Langevin with a non-exact score needs langevin_sigma > 0");
  if (sampler == "annealed_langevin" && !(p.real("sigma_max") >= p.real("sigma_min") && p.real("sigma_min") > 0))
    throw ConfigError("", "sigma_min", "needs 0 < sigma_min <= sigma_max");
  if (sampler == "ddpm" && !make_process(p)->variance_preserving())
    throw ConfigError("", "process", "the ddpm sampler needs a variance-preserving process: vp, ddpm or ou");
  if (p.real("init_high") <= p.real("init_low")) throw ConfigError("", "init_high", "must exceed init_low");
}

std::unique_ptr<dd::ScoreModel> make_score(const Params& p, const TaskContext& ctx) {
  const auto& score = p.string("score");
  if (score == "exact") return std::make_unique<dd::GaussianMixtureScore>(*mixture_of(p));
  if (score == "empirical") {
    // One training set per task (repeat 0's patterns stream): repeats vary the sampling only.
    Stream s = ctx.stream(0, Purpose::patterns);
    return std::make_unique<dd::EmpiricalScore>(draw_data(p, p.integer("n_train"), s));
  }
  return load_learned_score(p.string("weights"));
}

long run_sampler(const Params& p, const dd::ScoreModel& score, const dd::ForwardProcess& process, dd::Points& x,
                 const Stream& noise, dd::Trajectory* tr) {
  const auto& sampler = p.string("sampler");
  const int steps = static_cast<int>(p.integer("steps"));
  if (sampler == "langevin") {
    const double s = p.real("langevin_sigma");
    return dd::langevin(score, dd::NoiseLevel{s, 1.0, s}, p.real("step_size"), steps, x, noise, tr);
  }
  if (sampler == "annealed_langevin") {
    const auto sig = dd::geometric(p.real("sigma_max"), p.real("sigma_min"), static_cast<int>(p.integer("levels")));
    return dd::annealed_langevin(score, sig, static_cast<int>(p.integer("steps_per_level")), p.real("step_size"), x,
                                 noise, tr);
  }
  const auto times = dd::default_times(process, steps);
  if (sampler == "euler_maruyama") return dd::reverse_sde_euler_maruyama(score, process, times, x, noise, tr);
  if (sampler == "predictor_corrector")
    return dd::predictor_corrector(score, process, times, static_cast<int>(p.integer("corrector_steps")), p.real("snr"),
                                   x, noise, tr);
  if (sampler == "ode_euler") return dd::probability_flow_euler(score, process, times, x, tr);
  if (sampler == "ode_heun") return dd::probability_flow_heun(score, process, times, x, tr);
  return dd::ddpm_ancestral(score, process, times, x, noise, tr);
}

void initial_points(const Params& p, const dd::ForwardProcess& process, dd::Points& x, const Stream& stream) {
  if (p.string("init") == "uniform") {
    Stream s = stream;
    for (Eigen::Index i = 0; i < x.rows(); ++i)
      for (Eigen::Index j = 0; j < x.cols(); ++j) x(i, j) = s.uniform(p.real("init_low"), p.real("init_high"));
    return;
  }
  process.sample_prior(x, stream);
  if (p.string("sampler") == "annealed_langevin") x *= p.real("sigma_max") / process.sigma(process.t_end());
  if (p.string("sampler") == "langevin") x /= process.sigma(process.t_end());  // N(0, I)
}

void run(const Params& p, const TaskContext& ctx, TaskOutput& out) {
  const auto score = make_score(p, ctx);
  const auto process = make_process(p);
  const auto mixture = mixture_of(p);
  const Eigen::Index n = p.integer("n_samples"), d = score->dim();
  Eigen::VectorXd fraction_sum;
  for (std::int64_t r = 0; r < ctx.repeats; ++r) {
    const auto rep = static_cast<std::uint32_t>(r);
    dd::Points x(n, d);
    initial_points(p, *process, x, ctx.stream(rep, Purpose::init));
    dd::Trajectory tr;
    if (r == 0)
      for (Eigen::Index i = 0; i < std::min<Eigen::Index>(n, p.integer("trajectories")); ++i) tr.rows.push_back(i);
    tr.every = static_cast<int>(p.integer("trajectory_every"));
    const auto nfe = run_sampler(p, *score, *process, x, ctx.stream(rep, Purpose::dynamics), &tr);
    if (r == 0) {
      out.label("sampler", p.string("sampler"));
      out.scalar("nfe", static_cast<double>(nfe));  // the same in every repeat
    }

    Stream eval = ctx.stream(rep, Purpose::evaluation);
    const dd::Points fresh = draw_data(p, p.integer("n_eval"), eval);
    const double h = p.real("mmd_bandwidth") > 0 ? p.real("mmd_bandwidth") : dd::median_distance(x, fresh);
    out.sample("mmd", dd::mmd2_unbiased(x, fresh, h));
    out.sample("sliced_w2", dd::sliced_wasserstein(x, fresh, static_cast<int>(p.integer("projections")), eval));
    if (mixture) {
      const Eigen::VectorXd f = dd::mode_fractions(x, mixture->means);
      out.sample("weight_error", (f - mixture->weights).cwiseAbs().maxCoeff());
      fraction_sum = r == 0 ? f : Eigen::VectorXd(fraction_sum + f);
    }
    if (r == 0) {
      out.array("samples", flatten(x), {static_cast<std::size_t>(n), static_cast<std::size_t>(d)});
      if (d <= 16)
        out.array("data", flatten(fresh), {static_cast<std::size_t>(fresh.rows()), static_cast<std::size_t>(d)});
      if (const auto* emp = dynamic_cast<const dd::EmpiricalScore*>(score.get())) {
        const dd::Points nn = dd::nearest_two_distances(x, emp->training());  // row-major: one row per sample
        out.array("nearest_training_distances", flatten(nn), {static_cast<std::size_t>(n), 2});
      }
      if (!tr.frames.empty()) {
        std::vector<double> frames;
        for (const auto& f : tr.frames) frames.insert(frames.end(), f.data(), f.data() + f.size());
        out.array("trajectories", std::move(frames), {tr.frames.size(), tr.rows.size(), static_cast<std::size_t>(d)});
        out.array("trajectory_times", tr.times);
      }
    }
    ctx.report(double(r + 1) / double(ctx.repeats));
  }
  if (mixture) {
    const Eigen::VectorXd f = fraction_sum / double(ctx.repeats);
    out.array("mode_fractions", std::vector<double>(f.data(), f.data() + f.size()));
    out.array("weights",
              std::vector<double>(mixture->weights.data(), mixture->weights.data() + mixture->weights.size()));
  }
}

}  // namespace

Kind diffusion_sample_kind() {
  Kind k;
  k.name = "diffusion.sample";
  k.summary = "generate with an exact, empirical or learned score and a chosen sampler; MMD, sliced W2, mode weights";
  k.params = sample_params();
  k.validate = validate;
  k.run = run;
  k.cost = [](const Params& p) {
    const double steps = p.string("sampler") == "annealed_langevin"
                             ? double(p.integer("steps_per_level") * p.integer("levels"))
                             : double(p.integer("steps"));
    return double(p.integer("n_samples")) * steps *
           (p.string("score") == "empirical" ? double(p.integer("n_train")) : 1.0);
  };
  return k;
}

}  // namespace spindiff::runner
