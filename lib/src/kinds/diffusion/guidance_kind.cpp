#include "guidance_kind.hpp"

#include <fmt/format.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "data_source.hpp"
#include "guided_sampling.hpp"
#include "spindiff/diffusion/conditional_mixture.hpp"
#include "spindiff/diffusion/guidance.hpp"
#include "spindiff/diffusion/tilted_law.hpp"

namespace spindiff::runner {

namespace dd = spindiff::diffusion;
using diffusion_kinds::flatten;

namespace {

std::vector<ParamSpec> guidance_params() {
  return {
      integer_param("mixture.dim", 1, 1, 4096, "dimension of the labelled mixture (each component is a class)"),
      real_list_param("mixture.weights", {0.5, 0.5}, 0.0, std::nullopt, "class weights (normalised)"),
      real_list_param("mixture.means", {-1.0, 1.0}, std::nullopt, std::nullopt,
                      "class means, K x dim values row by row (d > 1: collinear, equal stds)"),
      real_list_param("mixture.stds", {1.0, 1.0}, 1e-6, std::nullopt, "isotropic standard deviation of each class"),
      integer_param("target", 1, 0, 4095, "the class c guided toward (index into the components)"),
      summary(real_param("guidance", 0.0, -1.0, std::nullopt,
                         "classifier-free guidance weight w: s = (1 + w) s(x, t | c) - w s(x, t)")),
      real_list_param("guidance_interval", {0.0, 1e9}, 0.0, std::nullopt,
                      "[sigma_low, sigma_high]: guidance acts only where sigma(t) lies inside, the conditional "
                      "score elsewhere"),
      real_param("classifier_scale", 0.0, 0.0, std::nullopt,
                 "classifier guidance with the exact noisy Bayes classifier: s(x, t) + scale grad log p_t(c | x) "
                 "(instead of classifier-free guidance; guidance must be 0)"),
      choice_param("process", "ou", {"ou", "vp", "ve", "ddpm", "edm"}, "forward process"),
      choice_param("sampler", "euler_maruyama", diffusion_kinds::grid_samplers(),
                   "sampler (on the process's time grid: reverse SDE, probability-flow ODE, DDPM ancestral, ...)"),
      integer_param("steps", 1000, 1, 1e7, "time steps of the sampler"),
      diffusion_kinds::final_denoise_param(),
      integer_param("n_samples", 4000, 2, 1e8, "points generated per repeat"),
      integer_param("bins", 40, 2, 100000, "histogram bins of the total-variation distance"),
  };
}

dd::LabelledMixture build(const Params& p) {
  if (p.reals("mixture.weights").size() < 2) throw ConfigError("", "mixture.weights", "needs at least two classes");
  return dd::label_by_component(diffusion_kinds::isotropic_mixture_param(p, "mixture", p.integer("mixture.dim")));
}

// The class axis: from the other classes' mean toward the target's (unit vector).
Eigen::VectorXd class_axis(const dd::GaussianMixture& g, int target) {
  const Eigen::Index d = g.dim();
  if (d == 1) return Eigen::VectorXd::Ones(1);
  Eigen::VectorXd other = Eigen::VectorXd::Zero(d);
  double mass = 0;
  for (int k = 0; k < g.components(); ++k)
    if (k != target) other += g.weights[k] * g.means.row(k).transpose(), mass += g.weights[k];
  Eigen::VectorXd u = g.means.row(target).transpose() - other / mass;
  return u / u.norm();
}

// The mixture along the class axis. Exact for d > 1 only when the means are collinear along the axis and the
// classes share one isotropic std (the tilt then acts on that coordinate alone); validate() checks it.
dd::GaussianMixture projected(const dd::GaussianMixture& g, const Eigen::VectorXd& u) {
  dd::Points m(g.components(), 1);
  std::vector<double> w(g.weights.data(), g.weights.data() + g.weights.size()), sd;
  for (int k = 0; k < g.components(); ++k) {
    m(k, 0) = g.means.row(k).dot(u);
    sd.push_back(std::sqrt(g.covariances[static_cast<std::size_t>(k)](0, 0)));
  }
  return dd::isotropic_mixture(w, m, sd);
}

void validate(const Params& p) {
  const dd::LabelledMixture lm = build(p);
  const auto target = p.integer("target");
  if (target >= lm.classes())
    throw ConfigError("", "target", fmt::format("must be a class index below {}", lm.classes()));
  const auto& g = lm.mixture;
  if (g.dim() > 1) {
    const Eigen::VectorXd u = class_axis(g, static_cast<int>(target));
    if (!std::isfinite(u.norm()))
      throw ConfigError("", "mixture.means", "the target class mean must differ from the others'");
    for (int k = 0; k < g.components(); ++k) {
      const Eigen::VectorXd r = (g.means.row(k) - g.means.row(0)).transpose();
      if ((r - r.dot(u) * u).norm() > 1e-9 * (1.0 + r.norm()))
        throw ConfigError("", "mixture.means", "in dim > 1 the class means must lie on one line");
      if (std::abs(g.covariances[static_cast<std::size_t>(k)](0, 0) - g.covariances[0](0, 0)) > 0)
        throw ConfigError("", "mixture.stds", "in dim > 1 the classes must share one std");
    }
  }
  const auto& iv = p.reals("guidance_interval");
  if (iv.size() != 2 || !(iv[0] <= iv[1]))
    throw ConfigError("", "guidance_interval", "needs two values [sigma_low, sigma_high] with low <= high");
  if (p.real("classifier_scale") > 0 && p.real("guidance") != 0.0)
    throw ConfigError("", "classifier_scale",
                      "classifier guidance replaces classifier-free guidance: set guidance = 0");
  if (dd::find_sampler(p.string("sampler")).needs_variance_preserving &&
      !dd::make_process(p.string("process"))->variance_preserving())
    throw ConfigError("", "process", "the ddpm sampler needs a variance-preserving process: vp, ddpm or ou");
}

void run(const Params& p, const TaskContext& ctx, TaskOutput& out) {
  const dd::LabelledMixture lm = build(p);
  const int target = static_cast<int>(p.integer("target"));
  const dd::ConditionalMixtureScore model(lm);
  const auto process = dd::make_process(p.string("process"));
  const double w = p.real("guidance"), gamma = p.real("classifier_scale");
  const auto& iv = p.reals("guidance_interval");
  const dd::GuidanceInterval interval{iv[0], iv[1]};
  const dd::Condition c{{target}};
  const dd::BayesClassifier bayes(model, 0, lm.mixture.weights);
  std::unique_ptr<dd::WrappedScore> score;
  if (gamma > 0)
    score =
        std::make_unique<dd::ClassifierGuidance>(model, dd::Condition{{dd::kAnyValue}}, bayes, target, gamma, interval);
  else
    score = std::make_unique<dd::ClassifierFreeGuidance>(model, c, w, interval);

  // The reference: the tilted law along the class axis. Classifier guidance of scale gamma tilts by p(c|x)^gamma,
  // the law p(x|c)^gamma p(x)^{1 - gamma}, i.e. w = gamma - 1.
  const Eigen::VectorXd axis = class_axis(lm.mixture, target);
  const dd::GaussianMixture line = projected(lm.mixture, axis);
  const double tilt = gamma > 0 ? gamma - 1.0 : w;
  const dd::TabulatedLaw law = dd::tilted_law(line, lm.labels, target, tilt);
  const int bins = static_cast<int>(p.integer("bins"));
  const Eigen::Index n = p.integer("n_samples"), d = lm.mixture.dim();

  std::vector<double> means;
  for (std::int64_t r = 0; r < ctx.repeats; ++r) {
    const auto rep = static_cast<std::uint32_t>(r);
    dd::Points x(n, d);
    process->sample_prior(x, ctx.stream(rep, Purpose::init));
    dd::SamplerOptions options;
    options.final_denoise = p.flag("final_denoise");
    diffusion_kinds::run_grid_sampler(p.string("sampler"), *score, *process, static_cast<int>(p.integer("steps")), x,
                                      ctx.stream(rep, Purpose::dynamics), options);
    if (!x.allFinite()) throw std::runtime_error("diffusion.guidance: the sampler produced non-finite points");
    const Eigen::MatrixXd post = model.class_posterior(x, dd::NoiseLevel{0.0, 1.0, 0.0});
    double right = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      Eigen::Index best;
      post.row(i).maxCoeff(&best);
      right += best == target ? 1.0 : 0.0;
    }
    out.sample("class_accuracy", right / double(n));
    const Eigen::VectorXd along = x * axis;
    out.sample("tilted_tv", dd::histogram_tv(along, law, bins));
    means.push_back(along.mean());
    Stream eval = ctx.stream(rep, Purpose::evaluation);
    out.sample("tilted_tv_null", dd::histogram_tv(law.sample(n, eval), law, bins));
    if (r == 0) {
      out.array("samples", std::vector<double>(along.data(), along.data() + n))
          .doc("repeat 0's samples along the class axis (the coordinate itself in 1-D)");
      const auto& g = law.grid();
      const auto& q = law.densities();
      out.array("tilted_grid", std::vector<double>(g.data(), g.data() + g.size()))
          .doc("grid of the tilted law along the class axis");
      out.array("tilted_density", std::vector<double>(q.data(), q.data() + q.size()))
          .doc("normalised density of the tilted law p(x|c)^(1+w) p(x)^(-w) on tilted_grid");
    }
    ctx.report(double(r + 1) / double(ctx.repeats));
  }
  out.array("sample_mean", means).doc("mean of the samples along the class axis, per repeat");
  out.attribute("tilted_mean", law.mean());
  out.attribute("nfe", static_cast<double>(score->evaluations()) / double(ctx.repeats));
}

}  // namespace

Kind diffusion_guidance_kind() {
  Kind k;
  k.name = "diffusion.guidance";
  k.summary =
      "classifier-free or classifier guidance with exact scores of a labelled Gaussian mixture: class accuracy and "
      "the distance to the tilted law p(x|c)^(1+w) p(x)^(-w)";
  k.params = guidance_params();
  k.validate = validate;
  k.run = run;
  k.cost = [](const Params& p) { return 2.0 * double(p.integer("n_samples")) * double(p.integer("steps")); };
  k.results = {
      result("class_accuracy", "fraction of samples whose most probable class is the target"),
      result("tilted_tv", "histogram total-variation distance of the samples from the tilted law"),
      result("tilted_tv_null", "the same for exact samples of the tilted law (the distance's floor at this n)"),
  };
  return k;
}

}  // namespace spindiff::runner
