#include "sample_kind.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "../size_limits.hpp"
#include "data_source.hpp"
#include "guided_sampling.hpp"
#include "learned_weights.hpp"
#include "spindiff/diffusion/conditional_empirical_score.hpp"
#include "spindiff/diffusion/conditional_mixture.hpp"
#include "spindiff/diffusion/corrector.hpp"
#include "spindiff/diffusion/empirical_score.hpp"
#include "spindiff/diffusion/forward_process.hpp"
#include "spindiff/diffusion/gaussian_mixture.hpp"
#include "spindiff/diffusion/guidance.hpp"
#include "spindiff/diffusion/learned_classifier.hpp"
#include "spindiff/diffusion/metrics.hpp"
#include "spindiff/diffusion/mlp.hpp"
#include "spindiff/diffusion/samplers.hpp"
#include "spindiff/diffusion/schedule.hpp"
#include "spindiff/diffusion/unit_scale_score.hpp"
#include "spindiff/kinds/diffusion/mlp_weights.hpp"
#include "stored_training_set.hpp"

namespace spindiff::runner {

namespace dd = spindiff::diffusion;
using diffusion_kinds::data_attributes;
using diffusion_kinds::data_dimension;
using diffusion_kinds::data_params;
using diffusion_kinds::draw_data;
using diffusion_kinds::draw_labelled_data;
using diffusion_kinds::flatten;
using diffusion_kinds::mixture_of;
using diffusion_kinds::StoredTrainingSet;
using diffusion_kinds::validate_data;

namespace {

// The learned (MLP) score of a weights file. diffusion.train learns the unit-scale (VE) score; the wrapper serves
// VP, DDPM and OU exactly.
std::unique_ptr<dd::ScoreModel> learned_score(const std::string& weights_file) {
  return std::make_unique<dd::UnitScaleScore>(diffusion_kinds::load_learned_score(weights_file));
}

// The process parameter's help: what auto picks, from the sampler table (vp unless a sampler prefers another).
std::string process_help() {
  std::vector<std::pair<std::string, std::string>> picks;  // process, samplers preferring it
  for (const dd::SamplerInfo& row : dd::sampler_table()) {
    if (row.preferred_process == "vp") continue;
    auto it = std::find_if(picks.begin(), picks.end(), [&](const auto& q) { return q.first == row.preferred_process; });
    if (it == picks.end())
      picks.emplace_back(row.preferred_process, row.name);
    else
      it->second += "/" + row.name;
  }
  std::string text = "forward process; auto: ";
  for (const auto& [process, samplers] : picks) text += process + " for " + samplers + ", ";
  return text + "vp otherwise";
}

std::vector<ParamSpec> sample_params() {
  std::vector<ParamSpec> p = data_params();
  const std::vector<ParamSpec> own = {
      choice_param("score", "exact", {"exact", "empirical", "learned"},
                   "exact (mixture data), empirical (score of n_train training points) or learned (weights file)"),
      optional_file_param("weights",
                          "HDF5 weights of a learned score (score = learned): a diffusion.train "
                          "result or a weights file; with training_set = weights, the diffusion.train result "
                          "whose stored training set is used"),
      integer_param("n_train", 1000, 2, 1e7, "training points of the empirical score"),
      unkeyed_at_default(choice_param(
          "training_set", "drawn", {"drawn", "weights"},
          "the empirical score's training points: drawn (n_train points from this task's own stream) or weights "
          "(the training set stored by the diffusion.train run of `weights`, the very points its network learned; "
          "the data parameters and n_train must equal that run's; every score also records the samples' "
          "nearest_training_distances to it)")),
      choice_param("process", "auto", {"auto", "ve", "vp", "ddpm", "ou", "edm"}, process_help()),
      summary(choice_param("sampler", "euler_maruyama", dd::sampler_names(), "sampler")),
      integer_param("steps", 500, 1, 1e7, "time steps (SDE, ODE, DDPM samplers); total steps of plain langevin"),
      integer_param("steps_per_level", 100, 1, 1e7, "annealed_langevin: Langevin steps per sigma level"),
      real_param("step_size", 0.1, 0.0, std::nullopt, "epsilon of langevin and annealed_langevin"),
      real_param("langevin_sigma", 0.0, 0.0, std::nullopt,
                 "noise level of the fixed score in plain langevin (0: the data score, exact score only)"),
      integer_param("levels", 10, 1, 1e6, "annealed_langevin: number of geometric sigma levels"),
      real_param("sigma_max", 20.0, 0.0, std::nullopt, "annealed_langevin: largest sigma"),
      real_param("sigma_min", 1.0, 0.0, std::nullopt, "annealed_langevin: smallest sigma"),
      integer_param("corrector_steps", 1, 0, 1e4,
                    "predictor_corrector: Langevin corrector steps per time step; corrector: MCMC steps per level"),
      real_param("snr", 0.16, 0.0, std::nullopt, "predictor_corrector: signal-to-noise ratio of the corrector"),
      diffusion_kinds::final_denoise_param(),
      string_param(
          "condition", "",
          "generate under a condition on the data's labels: attribute values joined by ':' (e.g. \"A:italic\", "
          "\"3\", \"digit=3\"); \"\": unconditional"),
      real_param("guidance", 0.0, -1.0, std::nullopt,
                 "classifier-free guidance weight w toward the condition: s = (1 + w) s(x, t | c) - w s(x, t)"),
      real_list_param("guidance_interval", {0.0, 1e9}, 0.0, std::nullopt,
                      "[sigma_low, sigma_high]: guidance acts only where sigma(t)/a(t) lies inside"),
      optional_file_param("classifier",
                          "noise-conditional classifier for classifier guidance (a diffusion.classifier result or "
                          "weights file; its attribute must hold the condition)"),
      real_param("classifier_scale", 0.0, 0.0, std::nullopt,
                 "classifier guidance: s(x, t) + scale grad log p_t(c | x) with the learned classifier (instead of "
                 "classifier-free guidance; guidance must be 0)"),
      string_list_param("compose", {},
                        "compose conditions (product of experts): sum_i s(x, t | c_i) - (n - 1) s(x, t), e.g. "
                        "[\"A\", \"italic\"] (instead of condition)"),
      choice_param("corrector", "none", {"none", "ula", "mala"},
                   "MCMC corrector at every noise level for conditioned, guided or composed scores (mala needs a "
                   "log-density: exact or empirical scores)"),
      real_param("corrector_step", 0.5, 1e-12, std::nullopt, "corrector step size eps / sigma(t)^2"),
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

const dd::SamplerInfo& sampler_of(const Params& p) { return dd::find_sampler(p.string("sampler")); }

bool conditional(const Params& p) {
  return !p.string("condition").empty() || !p.strings("compose").empty() || p.real("guidance") != 0.0 ||
         p.real("classifier_scale") != 0.0 || p.string("corrector") != "none";
}

// The training set of the diffusion.train run of `weights` when training_set = "weights" (checked against the data
// parameters), else none.
std::optional<StoredTrainingSet> stored_training_set(const Params& p) {
  if (p.string("training_set") != "weights") return std::nullopt;
  return diffusion_kinds::read_training_set(p, p.string("weights"));
}

std::shared_ptr<const dd::LearnedClassifier> load_classifier(const Params& p) {
  try {
    return std::make_shared<const dd::LearnedClassifier>(
        runner::diffusion_kinds::read_mlp_weights(p.string("classifier")));
  } catch (const std::exception& e) {
    throw ConfigError("", "classifier",
                      fmt::format("cannot load a classifier from {}: {}", p.string("classifier"), e.what()));
  }
}

// The conditional model of the configured score, served at every scale: the exact labelled mixture, the per-class
// empirical score of labelled training points, or the learned conditional network of the weights file.
std::shared_ptr<const dd::ConditionalScoreModel> make_conditional(const Params& p, const TaskContext* ctx,
                                                                  const StoredTrainingSet* stored) {
  const auto& score = p.string("score");
  if (score == "exact") return std::make_shared<dd::ConditionalMixtureScore>(dd::label_by_component(*mixture_of(p)));
  if (score == "empirical" && stored) {
    if (stored->attributes.empty())
      throw ConfigError("", "training_set",
                        fmt::format("the training run {} is unconditional (it stores no training labels); a "
                                    "conditional empirical score needs a labelled one (labels = [...])",
                                    p.string("weights")));
    return std::make_shared<dd::ConditionalEmpiricalScore>(stored->x, stored->labels, stored->attributes);
  }
  if (score == "empirical") {
    Stream s = ctx ? ctx->stream(0, Purpose::patterns) : Stream();
    dd::LabelledPoints data = draw_labelled_data(p, p.integer("n_train"), s);
    return std::make_shared<dd::ConditionalEmpiricalScore>(std::move(data.x), std::move(data.labels),
                                                           data_attributes(p));
  }
  std::shared_ptr<const dd::ConditionalScoreModel> learned =
      diffusion_kinds::load_learned_conditional_score(p.string("weights"));
  return std::make_shared<dd::UnitScaleConditionalScore>(std::move(learned));
}

dd::Condition parse_on(const dd::ConditionalScoreModel& model, const std::string& key, const std::string& text) {
  try {
    return dd::parse_condition(model.attributes(), text);
  } catch (const std::invalid_argument& e) {
    throw ConfigError("", key, e.what());
  }
}

// The class of the classifier's attribute that the condition names (the condition must fix exactly that attribute).
int parse_on_classifier(const dd::LearnedClassifier& classifier, const std::string& text) {
  dd::Condition c;
  try {
    c = dd::parse_condition({classifier.target()}, text);
  } catch (const std::invalid_argument& e) {
    throw ConfigError("", "condition",
                      std::string(e.what()) + " (classifier guidance conditions on the " + "classifier's attribute '" +
                          classifier.target().name + "' alone)");
  }
  if (c.values[0] == dd::kAnyValue) throw ConfigError("", "condition", "classifier guidance needs a condition");
  return c.values[0];
}

// The wrapper score of the conditional settings: conditioned, guided (classifier-free or by the classifier) or
// composed.
std::unique_ptr<dd::WrappedScore> make_wrapper(const Params& p, const dd::ConditionalScoreModel& model,
                                               const dd::NoisyClassifier* classifier) {
  const std::vector<std::string> compose = p.strings("compose");
  if (!compose.empty()) {
    std::vector<dd::ScoreTerm> terms;
    for (const std::string& c : compose) terms.push_back({&model, parse_on(model, "compose", c), 1.0});
    terms.push_back(
        {&model, dd::Condition::unconditional(model.attributes().size()), -static_cast<double>(compose.size() - 1)});
    return std::make_unique<dd::ScoreSum>(std::move(terms));
  }
  const auto& interval = p.reals("guidance_interval");
  if (p.real("classifier_scale") > 0) {
    const auto* learned = dynamic_cast<const dd::LearnedClassifier*>(classifier);
    if (!learned) throw ConfigError("", "classifier", "classifier_scale > 0 needs a classifier file");
    const int c = parse_on_classifier(*learned, p.string("condition"));
    return std::make_unique<dd::ClassifierGuidance>(model, dd::Condition::unconditional(model.attributes().size()),
                                                    *learned, c, p.real("classifier_scale"),
                                                    dd::GuidanceInterval{interval[0], interval[1]});
  }
  const dd::Condition c = parse_on(model, "condition", p.string("condition"));
  return std::make_unique<dd::ClassifierFreeGuidance>(model, c, p.real("guidance"),
                                                      dd::GuidanceInterval{interval[0], interval[1]});
}

// The target of a conditional run on the data's own attributes (matched by name and value), for the fresh
// reference points: the condition, or the conjunction of the composed conditions.
dd::Condition target_on_data(const Params& p, const std::vector<dd::Attribute>& attributes) {
  const std::vector<dd::Attribute> data = data_attributes(p);
  dd::Condition target = dd::Condition::unconditional(data.size());
  std::vector<std::string> texts = p.strings("compose");
  if (texts.empty()) texts.push_back(p.string("condition"));
  for (const std::string& text : texts) {
    dd::Condition c;
    try {
      c = dd::parse_condition(attributes, text);
    } catch (const std::invalid_argument& e) {
      throw ConfigError("", "condition", e.what());
    }
    for (std::size_t a = 0; a < c.values.size(); ++a) {
      if (c.values[a] == dd::kAnyValue) continue;
      const dd::Attribute& attr = attributes[a];
      for (std::size_t b = 0; b < data.size(); ++b) {
        if (data[b].name != attr.name) continue;
        const auto v = std::find(data[b].values.begin(), data[b].values.end(), attr.values[c.values[a]]);
        if (v != data[b].values.end()) target.values[b] = static_cast<int>(v - data[b].values.begin());
      }
    }
  }
  return target;
}

// About n fresh points of the data that satisfy the target (all n when it is unconditional).
dd::Points fresh_points(const Params& p, const dd::Condition& target, Eigen::Index n, Stream& stream) {
  if (target.values.empty() || target.is_unconditional()) return draw_data(p, n, stream);
  const std::vector<dd::Attribute> data = data_attributes(p);
  Eigen::Index combinations = 1;
  for (std::size_t a = 0; a < data.size(); ++a)
    if (target.values[a] != dd::kAnyValue) combinations *= static_cast<Eigen::Index>(data[a].values.size());
  const dd::LabelledPoints all = draw_labelled_data(p, n * combinations, stream);
  std::vector<Eigen::Index> rows;
  for (Eigen::Index i = 0; i < all.x.rows() && static_cast<Eigen::Index>(rows.size()) < n; ++i)
    if (dd::satisfies(all.labels, i, target)) rows.push_back(i);
  dd::Points out(static_cast<Eigen::Index>(rows.size()), all.x.cols());
  for (std::size_t k = 0; k < rows.size(); ++k) out.row(static_cast<Eigen::Index>(k)) = all.x.row(rows[k]);
  return out;
}

// The configured process: it sets the prior draw of every sampler and the time grid of the time-grid samplers.
std::unique_ptr<dd::ForwardProcess> make_process(const Params& p) {
  const std::string& name = p.string("process");
  return dd::make_process(name == "auto" ? sampler_of(p).preferred_process : name);
}

void validate(const Params& p) {
  validate_data(p);
  // Training set, samples (with the sampler's work copies) and evaluation points, 8 bytes a coordinate.
  const double points = static_cast<double>(p.integer("n_train")) + 3.0 * static_cast<double>(p.integer("n_samples")) +
                        static_cast<double>(p.integer("n_eval"));
  check_memory("n_samples", fmt::format("{:.4g} points of dimension {:.0f}", points, data_dimension(p)),
               8.0 * points * data_dimension(p));
  const auto& score = p.string("score");
  const dd::SamplerInfo& sampler = sampler_of(p);
  if (score == "exact" && p.string("data") != "mixture")
    throw ConfigError("", "score", "the exact score needs data = \"mixture\"; use empirical or learned");
  if (score == "learned" && p.string("weights").empty())
    throw ConfigError("", "weights", "score = \"learned\" needs a weights file");
  if (score == "learned") learned_score(p.string("weights"));
  if (p.string("training_set") == "weights") {
    if (score == "exact")
      throw ConfigError("", "training_set", "the exact score has no training set; use training_set = \"drawn\"");
    if (p.string("weights").empty())
      throw ConfigError("", "weights",
                        "training_set = \"weights\" reads the training set of a diffusion.train results file");
  }
  const std::optional<StoredTrainingSet> stored = stored_training_set(p);
  if (sampler.grid == dd::SamplerGrid::fixed_level && score != "exact" && !(p.real("langevin_sigma") > 0))
    throw ConfigError("", "langevin_sigma", "plain Langevin with a non-exact score needs langevin_sigma > 0");
  if (sampler.grid == dd::SamplerGrid::noise_levels &&
      !(p.real("sigma_max") >= p.real("sigma_min") && p.real("sigma_min") > 0))
    throw ConfigError("", "sigma_min", "needs 0 < sigma_min <= sigma_max");
  if (sampler.needs_variance_preserving && !make_process(p)->variance_preserving())
    throw ConfigError("", "process",
                      fmt::format("the {} sampler needs a variance-preserving process: vp, ddpm or ou", sampler.name));
  if (p.real("init_high") <= p.real("init_low")) throw ConfigError("", "init_high", "must exceed init_low");
  if (conditional(p)) {
    if (score != "learned" && data_attributes(p).empty())
      throw ConfigError("", "condition", "data = \"" + p.string("data") + "\" has no labels to condition on");
    if (sampler.grid != dd::SamplerGrid::process_times)
      throw ConfigError("", "sampler", "conditions, guidance and composition run on the time-grid samplers");
    if (!p.strings("compose").empty() && (!p.string("condition").empty() || p.real("guidance") != 0.0))
      throw ConfigError("", "compose", "compose replaces condition and guidance; leave those unset");
    if (p.real("guidance") != 0.0 && p.string("condition").empty())
      throw ConfigError("", "guidance", "guidance needs a condition");
    const auto& interval = p.reals("guidance_interval");
    if (interval.size() != 2 || !(interval[0] <= interval[1]))
      throw ConfigError("", "guidance_interval", "needs [sigma_low, sigma_high] with sigma_low <= sigma_high");
    if (p.real("classifier_scale") > 0 && p.real("guidance") != 0.0)
      throw ConfigError("", "classifier_scale", "classifier guidance replaces classifier-free guidance: guidance = 0");
    if (p.real("classifier_scale") > 0 && p.string("classifier").empty())
      throw ConfigError("", "classifier", "classifier_scale > 0 needs a classifier file");
    const auto classifier = p.string("classifier").empty() ? nullptr : load_classifier(p);
    const auto model = make_conditional(p, nullptr, stored ? &*stored : nullptr);
    const auto wrapper = make_wrapper(p, *model, classifier.get());
    if (p.string("corrector") == "mala" && !wrapper->has_log_density())
      throw ConfigError("", "corrector", "mala needs a log-density (score = exact or empirical); use ula");
  }
}

std::unique_ptr<dd::ScoreModel> make_score(const Params& p, const TaskContext& ctx, const StoredTrainingSet* stored) {
  const auto& score = p.string("score");
  if (score == "exact") return std::make_unique<dd::GaussianMixtureScore>(*mixture_of(p));
  if (score == "empirical" && stored) return std::make_unique<dd::EmpiricalScore>(stored->x);
  if (score == "empirical") {
    // One training set per task (repeat 0's patterns stream): repeats vary the sampling only.
    Stream s = ctx.stream(0, Purpose::patterns);
    return std::make_unique<dd::EmpiricalScore>(draw_data(p, p.integer("n_train"), s));
  }
  return learned_score(p.string("weights"));
}

dd::SamplerOptions sampler_options(const Params& p) {
  dd::SamplerOptions o;
  o.step_size = p.real("step_size");
  o.steps_per_level = static_cast<int>(
      sampler_of(p).grid == dd::SamplerGrid::fixed_level ? p.integer("steps") : p.integer("steps_per_level"));
  o.corrector_steps = static_cast<int>(p.integer("corrector_steps"));
  o.snr = p.real("snr");
  o.final_denoise = p.flag("final_denoise");
  return o;
}

// The sampler's grid: the process's time grid, or sigma levels read on the EDM process (sigma(t) = t, a = 1).
std::vector<double> grid_of(const Params& p, const dd::ForwardProcess& process) {
  switch (sampler_of(p).grid) {
    case dd::SamplerGrid::fixed_level:
      return {p.real("langevin_sigma")};
    case dd::SamplerGrid::noise_levels:
      return dd::geometric(p.real("sigma_max"), p.real("sigma_min"), static_cast<int>(p.integer("levels")));
    case dd::SamplerGrid::process_times:
      break;
  }
  return process.default_times(static_cast<int>(p.integer("steps")));
}

long run_sampler(const Params& p, const dd::ScoreModel& score, const dd::ForwardProcess& process, dd::Points& x,
                 const Stream& noise, dd::Trajectory* tr, const dd::SamplerOptions& options) {
  const dd::SamplerInfo& sampler = sampler_of(p);
  const dd::Edm sigma_levels;
  const dd::ForwardProcess& grid_process =
      sampler.grid == dd::SamplerGrid::process_times ? process : static_cast<const dd::ForwardProcess&>(sigma_levels);
  const std::vector<double> grid = grid_of(p, process);
  return sampler.run(score, grid_process, grid, x, noise, options, tr);
}

// The prior draw of the configured process, rescaled for the Langevin samplers to N(0, sigma_max^2 I) (annealed)
// or N(0, I) (plain); or uniform in a box.
void initial_points(const Params& p, const dd::ForwardProcess& process, dd::Points& x, const Stream& stream) {
  if (p.string("init") == "uniform") {
    Stream s = stream;
    for (Eigen::Index i = 0; i < x.rows(); ++i)
      for (Eigen::Index j = 0; j < x.cols(); ++j) x(i, j) = s.uniform(p.real("init_low"), p.real("init_high"));
    return;
  }
  process.sample_prior(x, stream);
  const dd::SamplerGrid grid = sampler_of(p).grid;
  if (grid == dd::SamplerGrid::noise_levels) x *= p.real("sigma_max") / process.sigma(process.t_end());
  if (grid == dd::SamplerGrid::fixed_level) x /= process.sigma(process.t_end());  // N(0, I)
}

void run(const Params& p, const TaskContext& ctx, TaskOutput& out) {
  // Conditional runs: the wrapper (conditioned, guided or composed) is the sampler's score, so the corrector can
  // check it runs on the same one; the conditional model outlives it.
  std::shared_ptr<const dd::ConditionalScoreModel> model;
  std::unique_ptr<dd::WrappedScore> wrapper;
  std::shared_ptr<const dd::LearnedClassifier> classifier;
  dd::Condition target;
  const std::optional<StoredTrainingSet> stored = stored_training_set(p);
  if (conditional(p)) {
    if (!p.string("classifier").empty()) classifier = load_classifier(p);
    model = make_conditional(p, &ctx, stored ? &*stored : nullptr);
    wrapper = make_wrapper(p, *model, classifier.get());
    target = target_on_data(p, classifier && p.real("classifier_scale") > 0
                                   ? std::vector<dd::Attribute>{classifier->target()}
                                   : model->attributes());
  }
  const std::unique_ptr<dd::ScoreModel> plain = wrapper ? nullptr : make_score(p, ctx, stored ? &*stored : nullptr);
  const dd::ScoreModel* score = wrapper ? static_cast<const dd::ScoreModel*>(wrapper.get()) : plain.get();
  const dd::CorrectorOptions corrector{dd::corrector_from_name(p.string("corrector")),
                                       static_cast<int>(p.integer("corrector_steps")), p.real("corrector_step")};
  dd::CorrectorStats corrector_stats;
  const auto process = make_process(p);
  const auto mixture = conditional(p) ? std::nullopt : mixture_of(p);
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
    const long inner_before = wrapper ? wrapper->evaluations() : 0;
    dd::SamplerOptions options = sampler_options(p);
    if (wrapper) options.corrector = dd::mcmc_corrector(*wrapper, corrector, &corrector_stats);
    long nfe = run_sampler(p, *score, *process, x, ctx.stream(rep, Purpose::dynamics), &tr, options);
    if (wrapper) nfe = wrapper->evaluations() - inner_before;  // inner score calls: two per guided evaluation
    if (!x.allFinite()) throw std::runtime_error("diffusion.sample: the sampler produced non-finite points");
    if (r == 0) {
      out.label("sampler", p.string("sampler"));
      out.scalar("nfe", static_cast<double>(nfe));  // the same in every repeat
    }

    Stream eval = ctx.stream(rep, Purpose::evaluation);
    const dd::Points fresh = fresh_points(p, target, p.integer("n_eval"), eval);
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
      // The memorisation detector, against the empirical score's points or the stored training set.
      const auto* emp = dynamic_cast<const dd::EmpiricalScore*>(score);
      if (emp || stored) {
        const dd::Points nn = dd::nearest_two_distances(x, emp ? emp->training() : stored->x);  // a row per sample
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
    const dd::SamplerInfo& sampler = sampler_of(p);
    const double steps = sampler.grid == dd::SamplerGrid::noise_levels
                             ? double(p.integer("steps_per_level") * p.integer("levels"))
                             : double(p.integer("steps"));
    return double(p.integer("n_samples")) * steps * sampler.score_calls_per_step(sampler_options(p)) *
           (p.string("score") == "empirical" ? double(p.integer("n_train")) : 1.0);
  };
  k.results = {
      exact_result("sampler", "the sampler's name"),
      exact_result("nfe", "score evaluations per sample (network function evaluations)"),
      result("mmd", "unbiased MMD^2 between the generated samples and fresh data"),
      result("sliced_w2", "sliced 2-Wasserstein distance between the generated samples and fresh data"),
      result("weight_error", "largest |fraction of samples nearest a mode - that mode's weight| (mixtures)"),
  };
  return k;
}

}  // namespace spindiff::runner
