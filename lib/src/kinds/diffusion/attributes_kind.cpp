#include "attributes_kind.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "data_source.hpp"
#include "guided_sampling.hpp"
#include "learned_weights.hpp"
#include "spindiff/diffusion/conditional_mixture.hpp"
#include "spindiff/diffusion/corrector.hpp"
#include "spindiff/diffusion/denoiser_range.hpp"
#include "spindiff/diffusion/guidance.hpp"
#include "spindiff/diffusion/learned_classifier.hpp"
#include "spindiff/diffusion/metrics.hpp"
#include "spindiff/diffusion/unit_scale_score.hpp"
#include "spindiff/io/hdf5.hpp"
#include "spindiff/kinds/diffusion/mlp_weights.hpp"

namespace spindiff::runner {

namespace dd = spindiff::diffusion;
using namespace diffusion_kinds;

namespace {

std::vector<ParamSpec> attributes_params() {
  std::vector<ParamSpec> p = data_params();
  const std::vector<ParamSpec> own = {
      optional_file_param("weights",
                          "a diffusion.train result with a conditional score (labels); required unless score = "
                          "\"exact\""),
      // Added after this kind's experiments were run: unset, it keeps their streams.
      unkeyed_at_default(choice_param(
          "score", "learned", {"learned", "exact"},
          "learned: the conditional score network in weights; exact: the exact conditional score of the labelled "
          "Gaussian mixture (data = \"mixture\", no weights), so a condition's samples follow its class's own law "
          "(a reference for the classifiers; no training set, so no nearest-training columns)")),
      summary(integer_param("weights_step", 0, 0, 1e12,
                            "use the weights saved after this many training steps (save_steps; 0: the final ones)")),
      file_param("classifiers", "",
                 "a diffusion.classifier result: each task's classifier measures its attribute of the samples"),
      summary(string_param("condition", "", "the combination generated: values joined by ':' (e.g. \"A:italic\")")),
      string_param("holdout", "", "the combination held out of training (marks held_out in the summary)"),
      summary(choice_param("mode", "joint", {"joint", "compose"},
                           "joint: s(x, t | a, b); compose: s(x, t) + (1 + w) sum_i [s(x, t | c_i) - s(x, t)] over "
                           "the single-attribute conditions")),
      real_param("guidance", 0.0, -1.0, std::nullopt,
                 "weight w: classifier-free guidance of the joint condition, or the composition's (1 + w)"),
      summary(choice_param("corrector", "none", {"none", "ula"},
                           "MCMC corrector at every noise level (ula: unadjusted Langevin; learned scores have no "
                           "energy for mala)")),
      integer_param("corrector_steps", 5, 0, 1e5, "corrector steps per noise level"),
      real_param("corrector_step", 0.1, 1e-12, std::nullopt, "corrector step size eps / sigma(t)^2"),
      choice_param("sampler", "euler_maruyama", grid_samplers(), "sampler on the EDM time grid (sigma(t) = t)"),
      integer_param("steps", 100, 1, 1e7, "time steps of the sampler"),
      final_denoise_param(),
      // Added after the first runs: unset, it keeps their streams.
      unkeyed_at_default(bool_param(
          "clip_denoised", false,
          "keep the denoiser's estimate (x + sigma^2 s) / a of every condition inside the training images' value "
          "range [min, max] (true posterior means lie there; a long-trained network's estimate can extrapolate "
          "outward where the sampler leaves its training region, and the samples run away)")),
      real_param("sigma_min", 0.002, 0.0, std::nullopt, "smallest noise level of the grid"),
      real_param("sigma_max", 20.0, 0.0, std::nullopt, "largest noise level of the grid"),
      real_param("measure_sigma", 0.002, 0.0, std::nullopt, "noise level at which the classifiers read the samples"),
      integer_param("n_samples", 200, 2, 1e7, "points generated per repeat"),
      integer_param("n_fresh", 200, 2, 1e7,
                    "fresh data points of the combination: the nearest-training distance of new real images"),
  };
  p.insert(p.end(), own.begin(), own.end());
  return p;
}

std::string weights_group(const Params& p) {
  const auto step = p.integer("weights_step");
  return step > 0 ? fmt::format("tasks/0000/weights_at/{:08d}", step) : std::string("tasks/0000/weights");
}

// Every task's classifier in the classifiers file.
std::vector<dd::LearnedClassifier> load_classifiers(const Params& p) {
  const std::string& file = p.string("classifiers");
  std::vector<dd::LearnedClassifier> out;
  try {
    const io::File f = io::File::open_read(file);
    for (int task = 0;; ++task) {
      const std::string group = fmt::format("tasks/{:04d}/weights", task);
      if (!f.root().exists(group)) break;
      out.emplace_back(runner::diffusion_kinds::read_mlp_weights(file, group));
    }
  } catch (const std::exception& e) {
    throw ConfigError("", "classifiers", fmt::format("cannot load classifiers from {}: {}", file, e.what()));
  }
  if (out.empty()) throw ConfigError("", "classifiers", file + " holds no classifier (tasks/NNNN/weights)");
  return out;
}

dd::Condition parse_on(const std::vector<dd::Attribute>& attributes, const std::string& key, const std::string& text) {
  try {
    return dd::parse_condition(attributes, text);
  } catch (const std::invalid_argument& e) {
    throw ConfigError("", key, e.what());
  }
}

// The training images stored by diffusion.train for labelled runs (empty when absent).
dd::Points training_images(const std::string& file) {
  const io::File f = io::File::open_read(file);
  const std::string name = "tasks/0000/training_data";
  if (!f.root().exists(name)) return {};
  const std::vector<std::size_t> shape = f.root().shape(name);
  const std::vector<double> values = f.root().read_doubles(name);
  dd::Points x(static_cast<Eigen::Index>(shape[0]), static_cast<Eigen::Index>(shape[1]));
  std::copy(values.begin(), values.end(), x.data());
  return x;
}

// The score of the mode: the joint condition with classifier-free guidance, or the composition of the fixed
// attributes' single conditions with weight (1 + w) each.
std::unique_ptr<dd::WrappedScore> make_score(const Params& p, const dd::ConditionalScoreModel& model,
                                             const dd::Condition& joint) {
  const double w = p.real("guidance");
  if (p.string("mode") == "joint") return std::make_unique<dd::ClassifierFreeGuidance>(model, joint, w);
  std::vector<dd::ScoreTerm> terms;
  const dd::Condition none = dd::Condition::unconditional(model.attributes().size());
  double unconditional_weight = 1.0;
  for (std::size_t a = 0; a < joint.values.size(); ++a) {
    if (joint.values[a] == dd::kAnyValue) continue;
    dd::Condition single = none;
    single.values[a] = joint.values[a];
    terms.push_back({&model, single, 1.0 + w});
    unconditional_weight -= 1.0 + w;
  }
  terms.push_back({&model, none, unconditional_weight});
  return std::make_unique<dd::ScoreSum>(std::move(terms));
}

struct Setup {
  std::shared_ptr<const dd::ConditionalScoreModel> model;
  dd::Condition joint;
  dd::Points training;  // the training images (empty when the weights file has none)
};

// The smallest and largest value of the training images.
dd::ValueRange value_range(const dd::Points& training) { return {training.minCoeff(), training.maxCoeff()}; }

Setup load(const Params& p) {
  if (p.string("score") == "exact") {
    const std::optional<dd::GaussianMixture> mixture = mixture_of(p);
    if (!mixture) throw ConfigError("", "score", "\"exact\" needs data = \"mixture\" (the labelled Gaussian mixture)");
    if (!p.string("weights").empty())
      throw ConfigError("", "weights", "score = \"exact\" uses no weights file: leave weights unset");
    if (p.flag("clip_denoised"))
      throw ConfigError("", "clip_denoised", "needs the training images of a weights file (score = \"learned\")");
    auto exact = std::make_shared<const dd::ConditionalMixtureScore>(dd::label_by_component(*mixture));
    const dd::Condition joint = parse_on(exact->attributes(), "condition", p.string("condition"));
    if (joint.fixed() < 1) throw ConfigError("", "condition", "needs at least one attribute value");
    return {exact, joint, {}};  // no training set
  }
  if (p.string("weights").empty())
    throw ConfigError("", "weights", "missing: a diffusion.train result with labels (or set score = \"exact\")");
  std::shared_ptr<const dd::ConditionalScoreModel> learned =
      load_learned_conditional_score(p.string("weights"), "weights", weights_group(p));
  if (learned->attributes().empty())
    throw ConfigError("", "weights", "the score is unconditional: train it with labels");
  const dd::Condition joint = parse_on(learned->attributes(), "condition", p.string("condition"));
  if (joint.fixed() < 1) throw ConfigError("", "condition", "needs at least one attribute value");
  dd::Points training = training_images(p.string("weights"));
  if (p.flag("clip_denoised")) {
    if (training.rows() == 0)
      throw ConfigError("", "clip_denoised",
                        p.string("weights") +
                            " holds no training images (tasks/0000/training_data) to take the "
                            "value range from");
    const dd::ValueRange range = value_range(training);
    if (!(range.low < range.high))
      throw ConfigError("", "clip_denoised", "the training images take a single value: no range to clip to");
    learned = std::make_shared<dd::RangeClippedConditionalScore>(learned, range);
  }
  return {std::make_shared<dd::UnitScaleConditionalScore>(learned), joint, std::move(training)};
}

void validate(const Params& p) {
  validate_data(p);
  if (!(p.real("sigma_max") > p.real("sigma_min") && p.real("sigma_min") > 0))
    throw ConfigError("", "sigma_max", "needs 0 < sigma_min < sigma_max");
  const Setup s = load(p);
  if (!p.string("holdout").empty()) parse_on(s.model->attributes(), "holdout", p.string("holdout"));
  for (const dd::LearnedClassifier& c : load_classifiers(p))
    if (c.dim() != s.model->dim())
      throw ConfigError("", "classifiers", "the classifiers' dimension differs from the score's");
}

// The value index, in the classifier's vocabulary, of the condition's value of the classifier's attribute (-1 when
// the condition leaves that attribute free or the classifier does not know the value).
int truth_of(const dd::LearnedClassifier& classifier, const std::vector<dd::Attribute>& attributes,
             const dd::Condition& joint) {
  for (std::size_t a = 0; a < attributes.size(); ++a) {
    if (attributes[a].name != classifier.target().name || joint.values[a] == dd::kAnyValue) continue;
    const std::string& value = attributes[a].values[static_cast<std::size_t>(joint.values[a])];
    const auto& vocab = classifier.target().values;
    const auto it = std::find(vocab.begin(), vocab.end(), value);
    return it == vocab.end() ? -1 : static_cast<int>(it - vocab.begin());
  }
  return -1;
}

double mean_nearest_distance(const dd::Points& x, const dd::Points& training) {
  const dd::Points nn = dd::nearest_two_distances(x, training);
  return nn.col(0).mean();
}

double median(std::vector<double> v) {
  const std::size_t m = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(m), v.end());
  if (v.size() % 2 == 1) return v[m];
  const double upper = v[m];
  return 0.5 * (upper + *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(m)));
}

void run(const Params& p, const TaskContext& ctx, TaskOutput& out) {
  const Setup s = load(p);
  const std::vector<dd::LearnedClassifier> classifiers = load_classifiers(p);
  const std::vector<dd::Attribute>& attributes = s.model->attributes();
  const dd::Points& training = s.training;
  // A sample farther from every training image than the diagonal of the images' value box (sqrt(d) (max - min),
  // more than any two points of the box lie apart) has run away: it is no image of the data's kind at all.
  const double runaway_distance = training.rows() > 0 ? std::sqrt(static_cast<double>(training.cols())) *
                                                            (training.maxCoeff() - training.minCoeff())
                                                      : 0.0;
  const bool held_out = !p.string("holdout").empty() && parse_on(attributes, "holdout", p.string("holdout")) == s.joint;
  out.label("combination", held_out ? "held-out" : "seen");
  const dd::Edm process(p.real("sigma_min"), p.real("sigma_max"));
  const dd::CorrectorOptions corrector{dd::corrector_from_name(p.string("corrector")),
                                       static_cast<int>(p.integer("corrector_steps")), p.real("corrector_step")};
  const Eigen::Index n = p.integer("n_samples");
  const dd::NoiseLevel measure{p.real("measure_sigma"), 1.0, p.real("measure_sigma")};
  // The data's attributes: the fresh real images of the combination.
  const std::vector<dd::Attribute> data = data_attributes(p);
  dd::Condition on_data = dd::Condition::unconditional(data.size());
  for (std::size_t a = 0; a < attributes.size(); ++a)
    for (std::size_t b = 0; b < data.size(); ++b)
      if (data[b].name == attributes[a].name) on_data.values[b] = s.joint.values[a];
  long nfe = 0, runaway_total = 0;
  for (std::int64_t r = 0; r < ctx.repeats; ++r) {
    const auto rep = static_cast<std::uint32_t>(r);
    const auto score = make_score(p, *s.model, s.joint);
    dd::Points x(n, s.model->dim());
    process.sample_prior(x, ctx.stream(rep, Purpose::init));
    dd::SamplerOptions options;
    options.corrector = dd::mcmc_corrector(*score, corrector);
    options.final_denoise = p.flag("final_denoise");
    run_grid_sampler(p.string("sampler"), *score, process, static_cast<int>(p.integer("steps")), x,
                     ctx.stream(rep, Purpose::dynamics), options);
    nfe = score->evaluations();
    if (!x.allFinite()) throw std::runtime_error("diffusion.attributes: the sampler produced non-finite points");

    std::vector<int> right(static_cast<std::size_t>(n), 1);
    for (const dd::LearnedClassifier& classifier : classifiers) {
      const int truth = truth_of(classifier, attributes, s.joint);
      if (truth < 0) continue;
      const std::vector<int> predicted = classifier.predict(x, measure);
      long hits = 0;
      for (Eigen::Index i = 0; i < n; ++i) {
        const bool ok = predicted[static_cast<std::size_t>(i)] == truth;
        hits += ok;
        right[static_cast<std::size_t>(i)] &= static_cast<int>(ok);
      }
      out.sample(classifier.target().name + "_accuracy", static_cast<double>(hits) / static_cast<double>(n));
    }
    out.sample("joint_accuracy",
               static_cast<double>(std::count(right.begin(), right.end(), 1)) / static_cast<double>(n));
    if (training.rows() > 0) {
      Stream fresh_stream = ctx.stream(rep, Purpose::evaluation);
      dd::LabelledPoints all = draw_labelled_data(p, p.integer("n_fresh") * 64, fresh_stream);
      std::vector<Eigen::Index> rows;
      for (Eigen::Index i = 0; i < all.x.rows() && static_cast<Eigen::Index>(rows.size()) < p.integer("n_fresh"); ++i)
        if (dd::satisfies(all.labels, i, on_data)) rows.push_back(i);
      dd::Points fresh(static_cast<Eigen::Index>(rows.size()), all.x.cols());
      for (std::size_t k = 0; k < rows.size(); ++k) fresh.row(static_cast<Eigen::Index>(k)) = all.x.row(rows[k]);
      const dd::Points nn = dd::nearest_two_distances(x, training);
      const std::vector<double> nearest_distances(nn.col(0).begin(), nn.col(0).end());
      const auto runaways = std::count_if(nearest_distances.begin(), nearest_distances.end(),
                                          [&](double d) { return !(d <= runaway_distance); });
      out.sample("nearest_train_distance", nn.col(0).mean());
      out.sample("median_nearest_train_distance", median(nearest_distances));
      out.sample("runaway_fraction", static_cast<double>(runaways) / static_cast<double>(n));
      runaway_total += runaways;
      if (fresh.rows() > 0) out.sample("fresh_nearest_train_distance", mean_nearest_distance(fresh, training));
      if (r == 0) {
        // Each sample's nearest training image, for the side-by-side figure.
        std::vector<double> nearest;
        for (Eigen::Index i = 0; i < n; ++i) {
          Eigen::Index best = 0;
          (training.rowwise() - x.row(i)).rowwise().squaredNorm().minCoeff(&best);
          nearest.insert(nearest.end(), training.row(best).data(), training.row(best).data() + training.cols());
        }
        out.array("nearest_training", std::move(nearest),
                  {static_cast<std::size_t>(n), static_cast<std::size_t>(training.cols())})
            .doc("the nearest training image of each sample (first repeat)");
      }
    }
    if (r == 0)
      out.array("samples", flatten(x), {static_cast<std::size_t>(n), static_cast<std::size_t>(x.cols())})
          .doc("generated points (first repeat)");
    ctx.report(double(r + 1) / double(ctx.repeats));
  }
  if (runaway_total > 0)
    out.warning(
        fmt::format("{} of {} samples ran away (nearest training image farther than {:.4g}, the diagonal of "
                    "the training images' value box){}",
                    runaway_total, n * ctx.repeats, runaway_distance,
                    p.flag("clip_denoised") ? ""
                                            : "; clip_denoised = true keeps the denoiser inside the training "
                                              "images' value range"));
  out.scalar("nfe", static_cast<double>(nfe));  // inner score calls per repeat (the same in every repeat)
}

}  // namespace

Kind diffusion_attributes_kind() {
  Kind k;
  k.name = "diffusion.attributes";
  k.summary =
      "generate a combination of attributes with a learned conditional score (joint or composed, optional corrector) "
      "and measure it with attribute classifiers: per-attribute and joint accuracy, nearest-training distance";
  k.params = attributes_params();
  k.validate = validate;
  k.run = run;
  k.cost = [](const Params& p) {
    return double(p.integer("n_samples")) * double(p.integer("steps")) *
           (1.0 + double(p.string("corrector") == "none" ? 0 : p.integer("corrector_steps")));
  };
  // One accuracy column per attribute a data set can carry, named as the classifier's attribute.
  const auto accuracy_of = [](const std::string& attribute) {
    return result(attribute + "_accuracy",
                  "fraction of samples the " + attribute + " classifier assigns to the requested " + attribute);
  };
  k.results = {
      exact_result("combination", "held-out (the combination left out of training) or seen"),
      accuracy_of("letter"),
      accuracy_of("style"),
      accuracy_of("stroke"),
      accuracy_of("digit"),
      accuracy_of("component"),
      result("joint_accuracy", "fraction of samples every classifier assigns to the requested value"),
      result("nearest_train_distance", "mean Euclidean distance from a sample to its nearest training image"),
      result("median_nearest_train_distance",
             "median Euclidean distance from a sample to its nearest training image (robust to runaway samples)"),
      result("runaway_fraction",
             "fraction of samples farther from every training image than the diagonal sqrt(d) (max - min) of the "
             "training images' value box"),
      result("fresh_nearest_train_distance",
             "the same for fresh data of the requested combination (how far new, uncopied images sit)"),
      exact_result("nfe", "inner score evaluations per sample (network function evaluations)"),
  };
  return k;
}

}  // namespace spindiff::runner
