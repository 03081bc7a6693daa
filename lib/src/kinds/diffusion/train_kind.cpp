#include "train_kind.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "data_source.hpp"
#include "learned_weights.hpp"
#include "spindiff/core/bytes.hpp"
#include "spindiff/diffusion/forward_process.hpp"
#include "spindiff/diffusion/metrics.hpp"
#include "spindiff/diffusion/mlp.hpp"
#include "spindiff/diffusion/preconditioned_score.hpp"
#include "spindiff/diffusion/samplers.hpp"
#include "spindiff/diffusion/training.hpp"
#include "spindiff/hopfield/letters.hpp"
#include "spindiff/kinds/diffusion/mlp_weights.hpp"
#include "spindiff/stats/mean_error.hpp"

namespace spindiff::runner {
namespace {

namespace dd = spindiff::diffusion;
using dd::Points;
using diffusion_kinds::data_attributes;
using diffusion_kinds::data_params;
using diffusion_kinds::draw_data;
using diffusion_kinds::draw_labelled_data;
using diffusion_kinds::flatten;
using diffusion_kinds::parse_selected_condition;
using diffusion_kinds::select_attributes;
using diffusion_kinds::select_labels;
using diffusion_kinds::validate_data;

using diffusion_kinds::output_weights;

// The group of the weights saved after `step` training steps (save_steps): weights_at/<step, 8 digits>.
std::string snapshot_group(long step) { return fmt::format("weights_at/{:08d}", step); }

// The steps of save_steps inside (0, steps], sorted and without repeats.
std::vector<long> save_steps(const Params& p) {
  std::vector<long> steps;
  for (double s : p.reals("save_steps"))
    if (s > 0 && s <= static_cast<double>(p.integer("steps"))) steps.push_back(static_cast<long>(s));
  std::sort(steps.begin(), steps.end());
  steps.erase(std::unique(steps.begin(), steps.end()), steps.end());
  return steps;
}

// The undistorted letters (one row per letter of the alphabet): the clean references of a letter metric.
void output_letter_templates(const Params& p, TaskOutput& out) {
  const std::string& alphabet = p.string("letters.alphabet");
  const int R = static_cast<int>(p.integer("letters.resolution"));
  std::vector<double> templates;
  for (char c : alphabet) {
    const std::vector<std::int8_t> image = hopfield::letters::render(c, R, p.real("letters.stroke_width"));
    templates.insert(templates.end(), image.begin(), image.end());
  }
  out.array("letter_templates", std::move(templates), {alphabet.size(), static_cast<std::size_t>(R) * R});
}

struct Trained {
  dd::MlpWeights weights;
  std::vector<double> loss;
  std::unique_ptr<dd::ScoreModel> score;
};

// What the repeats before the current one left: their loss curves and the tails of them.
struct Losses {
  std::vector<double> all, last;
};

// A checkpoint, between two chunks of training steps: the repeat, the losses of the repeats before it, then the
// training state (steps done, network, Adam moments and step count, loss curve, minibatch stream). The weights
// saved at save_steps so far are in the task's output, which the checkpoint keeps.
constexpr std::uint32_t kCheckpointTag = 0x44545232;  // "DTR2"

template <class Scalar>
Trained train(const Params& p, const Points& data, const dd::Labels* labels, const dd::MlpArchitecture& arch,
              const TaskContext& ctx, std::uint32_t repeat, TaskOutput* snapshots, const Losses& before,
              const Bytes* restored) {
  dd::MlpT<Scalar> net(arch);
  Stream init = ctx.stream(repeat, Purpose::init);
  net.initialize(init);
  dd::TrainingConfig cfg;
  cfg.batch = static_cast<int>(p.integer("batch"));
  cfg.adam.learning_rate = p.real("lr");
  const long steps = p.integer("steps");
  cfg.schedule =
      p.string("lr_schedule") == "cosine" ? dd::LearningRateSchedule::cosine : dd::LearningRateSchedule::constant;
  cfg.schedule_steps = steps;
  cfg.noise = p.string("sigma_distribution") == "log_normal"
                  ? dd::NoiseDistribution::log_normal(p.real("log_sigma_mean"), p.real("log_sigma_std"))
                  : dd::NoiseDistribution::log_uniform(p.real("sigma_min"), p.real("sigma_max"));
  cfg.label_dropout = p.real("label_dropout");
  dd::DsmTrainer<Scalar> trainer(net, cfg);
  Stream stream = ctx.stream(repeat, Purpose::training);
  const double repeats = static_cast<double>(ctx.repeats);
  const std::vector<long> saves = save_steps(p);
  dd::TrainingCheckpoints checkpoints;
  checkpoints.due = [&] { return ctx.checkpoint_due(); };
  checkpoints.save = [&](Bytes&& state) {
    ByteWriter w;
    w.tag(kCheckpointTag);
    w(repeat, before.all, before.last, state);
    ctx.save_checkpoint(std::move(w).bytes());
  };
  checkpoints.restored = restored;
  // Chunks of at most 200 steps that end at every save step.
  const auto chunk_end = [&](long done) {
    const auto next_save = std::upper_bound(saves.begin(), saves.end(), done);
    return std::min(done + 200, next_save != saves.end() ? *next_save : steps);
  };
  const auto after_chunk = [&](long done) {
    if (snapshots && std::binary_search(saves.begin(), saves.end(), done))
      output_weights(net.weights(), *snapshots, snapshot_group(done));
    ctx.report((repeat + static_cast<double>(done) / static_cast<double>(steps)) / repeats);
  };
  dd::train_in_chunks(
      trainer, stream, steps, &checkpoints, chunk_end, [&](long n) { trainer.train(data, labels, stream, n); },
      after_chunk);
  Trained t{net.weights(), trainer.loss_curve(), nullptr};
  t.score = std::make_unique<dd::PreconditionedScore>(std::make_shared<const dd::MlpT<Scalar>>(std::move(net)));
  return t;
}

void run_train(const Params& p, const TaskContext& ctx, TaskOutput& out) {
  const auto n_train = p.integer("n_train");
  const auto n_samples = p.integer("n_samples");
  const long steps = p.integer("steps");
  Losses losses;
  std::uint32_t first_repeat = 0;
  Bytes training_state;
  if (const Bytes* saved = ctx.restored_checkpoint()) {
    ByteReader in(*saved);
    in.tag(kCheckpointTag);
    in(first_repeat, losses.all, losses.last, training_state);
    if (!in.done() || first_repeat >= ctx.repeats) throw std::runtime_error("diffusion.train checkpoint does not fit");
  }
  for (std::int64_t r = first_repeat; r < ctx.repeats; ++r) {
    const auto repeat = static_cast<std::uint32_t>(r);
    Stream data_stream = ctx.stream(repeat, Purpose::patterns);
    // Unlabelled training draws exactly as before; labelled training draws the labels with the points and leaves
    // out the held-out combination.
    const std::vector<std::size_t> selected = select_attributes(p, "labels");
    const dd::Condition holdout = parse_selected_condition(p, selected, "holdout", p.string("holdout"));
    dd::LabelledPoints labelled;
    if (!selected.empty()) {
      labelled = draw_labelled_data(p, n_train, data_stream, holdout);
      labelled.labels = select_labels(labelled.labels, selected);
    } else {
      labelled.x = draw_data(p, n_train, data_stream);
    }
    const Points& data = labelled.x;

    dd::MlpArchitecture arch;
    arch.dim = static_cast<int>(data.cols());
    arch.width = static_cast<int>(p.integer("width"));
    arch.depth = static_cast<int>(p.integer("depth"));
    arch.n_frequencies = static_cast<int>(p.integer("n_frequencies"));
    // Input scaling: the data's root-mean-square coordinate unless given.
    arch.data_std = p.real("data_std") > 0 ? p.real("data_std") : std::sqrt(data.squaredNorm() / data.size());
    arch.parameterisation = dd::parse_parameterisation(p.string("parameterisation"));
    const std::vector<dd::Attribute> all = data_attributes(p);
    for (std::size_t a : selected) arch.attributes.push_back(all[a]);
    const dd::Labels* labels = selected.empty() ? nullptr : &labelled.labels;
    TaskOutput* snapshots = r == 0 ? &out : nullptr;

    const Bytes* restored = r == first_repeat && !training_state.empty() ? &training_state : nullptr;
    Trained t = p.string("precision") == "float32"
                    ? train<float>(p, data, labels, arch, ctx, repeat, snapshots, losses, restored)
                    : train<double>(p, data, labels, arch, ctx, repeat, snapshots, losses, restored);
    losses.all.insert(losses.all.end(), t.loss.begin(), t.loss.end());
    const std::size_t tail = std::max<std::size_t>(1, t.loss.size() / 10);
    losses.last.insert(losses.last.end(), t.loss.end() - static_cast<std::ptrdiff_t>(tail), t.loss.end());

    if (r == 0) output_weights(t.weights, out);
    if (r == 0 && labels) {
      // The labelled training set itself: what a generated image is compared with to tell a new one from a copy.
      const auto rows = static_cast<std::size_t>(data.rows());
      out.array("training_data", flatten(data), {rows, static_cast<std::size_t>(data.cols())})
          .doc("the training points (labelled runs, first repeat)");
      std::vector<std::int64_t> label_values(labels->data(), labels->data() + labels->size());
      out.array("training_labels", std::move(label_values), {rows, static_cast<std::size_t>(labels->cols())})
          .doc("their label indices, one column per attribute of labels");
    }
    if (n_samples > 0) {
      // A self-contained check of the trained score: probability-flow Heun on the EDM grid (VE, a = 1, sigma(t) = t)
      // from sigma_max down to sigma_min, then one Euler step to 0: 2N - 1 evaluations.
      const dd::Edm process(p.real("sigma_min"), p.real("sigma_max"));
      Points samples(n_samples, t.score->dim());
      process.sample_prior(samples, ctx.stream(repeat, Purpose::dynamics));
      dd::probability_flow_heun(*t.score, process, process.default_times(static_cast<int>(p.integer("sample_steps"))),
                                samples, ctx.stream(repeat, Purpose::dynamics));
      Stream eval = ctx.stream(repeat, Purpose::evaluation);
      // The unconditional model learns the training law: without the held-out combination.
      const Points fresh =
          selected.empty() ? draw_data(p, n_samples, eval) : draw_labelled_data(p, n_samples, eval, holdout).x;
      // Bandwidth 0: the median pairwise distance, as diffusion.sample's `mmd`.
      const double h = p.real("mmd_bandwidth") > 0 ? p.real("mmd_bandwidth") : dd::median_distance(samples, fresh);
      out.sample("mmd", dd::mmd2_unbiased(samples, fresh, h));
      if (r == 0) {
        const auto d = static_cast<std::size_t>(samples.cols());
        out.array("samples", flatten(samples), {static_cast<std::size_t>(n_samples), d});
        const Eigen::Index shown = std::min<Eigen::Index>(n_train, n_samples);
        Points head = data.topRows(shown);
        out.array("data", flatten(head), {static_cast<std::size_t>(shown), d});
        if (p.string("data") == "letters") output_letter_templates(p, out);
      }
    }
  }
  out.array("loss", losses.all, {static_cast<std::size_t>(ctx.repeats), static_cast<std::size_t>(steps)});

  // Minibatch losses of the last 10% of steps: independent draws around the converged loss.
  const stats::MeanError loss = stats::mean_error(losses.last);
  out.scalar("final_loss", loss.mean, loss.error);
}

}  // namespace

void register_diffusion_train_kind(std::vector<Kind>& kinds) {
  Kind k;
  k.name = "diffusion.train";
  k.summary = "train an MLP score by denoising score matching (Adam); weights, loss curve, samples, MMD";
  k.params = data_params();
  const std::vector<ParamSpec> own = {
      integer_param("n_train", 10000, 1, 1e8, "training-set size"),
      integer_param("width", 128, 1, 1e5, "units per hidden layer"),
      integer_param("depth", 3, 1, 100, "hidden layers (Linear + SiLU)"),
      integer_param("n_frequencies", 4, 0, 64, "Fourier features sin/cos(2^k ln(sigma)/4) of the noise embedding"),
      integer_param("batch", 256, 1, 1e6, "minibatch size"),
      integer_param("steps", 10000, 1, 1e9, "Adam steps"),
      real_param("lr", 1e-3, 0.0, std::nullopt, "Adam learning rate (peak of the cosine schedule)"),
      choice_param("lr_schedule", "cosine", {"cosine", "constant"}, "learning-rate schedule over the steps"),
      real_param("sigma_min", 0.002, 0.0, std::nullopt, "smallest noise level (training and sampling)"),
      real_param("sigma_max", 20.0, 0.0, std::nullopt, "largest noise level (training and sampling)"),
      real_param("data_std", 0.0, 0.0, std::nullopt,
                 "s_data of the input scaling, sigma_data of edm (0: RMS of the training data)"),
      choice_param("parameterisation", "epsilon", {"epsilon", "edm"},
                   "epsilon: the network predicts the noise; edm: Karras et al. (2022) preconditioning "
                   "D = c_skip x + c_out F with loss weight 1/c_out^2"),
      choice_param("sigma_distribution", "log_uniform", {"log_uniform", "log_normal"},
                   "training noise levels: ln(sigma) uniform in [ln sigma_min, ln sigma_max], or normal "
                   "(log_sigma_mean, log_sigma_std)"),
      real_param("log_sigma_mean", -1.2, std::nullopt, std::nullopt,
                 "sigma_distribution = log_normal: mean of ln(sigma)"),
      real_param("log_sigma_std", 1.2, 0.0, std::nullopt, "sigma_distribution = log_normal: sd of ln(sigma)"),
      choice_param("precision", "float64", {"float64", "float32"}, "arithmetic of the network"),
      integer_param("n_samples", 2000, 0, 1e7, "samples drawn after training (probability-flow Heun; 0: none)"),
      integer_param("sample_steps", 40, 1, 1e6, "noise levels of the Heun sampler (2N - 1 evaluations)"),
      real_param("mmd_bandwidth", 0.0, 0.0, std::nullopt, "Gaussian kernel width of the MMD (0: median distance)"),
      string_list_param("labels", {},
                        "attributes the score is conditioned on, e.g. [\"letter\", \"style\"] (mixture: component; "
                        "letters: letter, style, stroke; digits: digit); [] trains an unconditional score"),
      string_param("holdout", "",
                   "a combination left out of training: attribute values joined by ':' in the order of labels, e.g. "
                   "\"A:italic\" (\"\": none)"),
      real_param("label_dropout", 0.2, 0.0, 1.0,
                 "probability of dropping each attribute's label in training (the dropped label is the "
                 "unconditional model, as in classifier-free guidance)"),
      real_list_param("save_steps", {0.0}, 0.0, std::nullopt,
                      "also save the weights after these numbers of steps (weights_at/<step, 8 digits>; values "
                      "outside (0, steps] ignored)"),
  };
  k.params.insert(k.params.end(), own.begin(), own.end());
  k.results = {
      result("final_loss", "mean denoising score-matching loss over the last 10% of steps"),
      result("mmd", "unbiased MMD^2 between generated samples and fresh data (Gaussian kernel, median bandwidth)"),
  };
  k.run = run_train;
  k.validate = [](const Params& p) {
    validate_data(p);
    if (!(p.real("sigma_min") > 0)) throw ConfigError("", "sigma_min", "must be > 0");
    if (!(p.real("sigma_max") > p.real("sigma_min"))) throw ConfigError("", "sigma_max", "must exceed sigma_min");
    if (!(p.real("lr") > 0)) throw ConfigError("", "lr", "must be > 0");
    if (p.integer("n_samples") == 1) throw ConfigError("", "n_samples", "the MMD needs 0 (no samples) or >= 2");
    const std::vector<std::size_t> selected = select_attributes(p, "labels");
    if (selected.empty() && !p.string("holdout").empty())
      throw ConfigError("", "holdout", "a held-out combination needs labels");
    parse_selected_condition(p, selected, "holdout", p.string("holdout"));
  };
  k.cost = [](const Params& p) {
    return static_cast<double>(p.integer("steps")) * static_cast<double>(p.integer("batch")) *
           static_cast<double>(p.integer("width")) * static_cast<double>(p.integer("width")) *
           static_cast<double>(p.integer("depth"));
  };
  kinds.push_back(std::move(k));
}

}  // namespace spindiff::runner
