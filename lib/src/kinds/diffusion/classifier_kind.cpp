#include "classifier_kind.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "data_source.hpp"
#include "learned_weights.hpp"
#include "spindiff/core/bytes.hpp"
#include "spindiff/diffusion/learned_classifier.hpp"
#include "spindiff/diffusion/schedule.hpp"
#include "spindiff/runner/repeat_checkpoint.hpp"
#include "spindiff/stats/mean_error.hpp"

namespace spindiff::runner {

namespace dd = spindiff::diffusion;
using namespace diffusion_kinds;

namespace {

std::vector<ParamSpec> classifier_params() {
  std::vector<ParamSpec> p = data_params();
  const std::vector<ParamSpec> own = {
      summary(string_param("attribute", "",
                           "the attribute classified (mixture: component; letters: letter, style, stroke; digits: "
                           "digit)")),
      integer_param("n_train", 4000, 2, 1e8, "training points (every combination of the attributes)"),
      integer_param("n_eval", 2000, 2, 1e7, "fresh clean points the accuracy is measured on"),
      integer_param("width", 128, 1, 1e5, "units per hidden layer"),
      integer_param("depth", 2, 1, 100, "hidden layers (Linear + SiLU)"),
      integer_param("n_frequencies", 4, 0, 64, "Fourier features of the noise embedding"),
      integer_param("batch", 128, 1, 1e6, "minibatch size"),
      integer_param("steps", 2000, 1, 1e9, "Adam steps"),
      real_param("lr", 1e-3, 0.0, std::nullopt, "Adam learning rate (peak of the cosine schedule)"),
      real_param("sigma_min", 0.002, 0.0, std::nullopt,
                 "smallest training noise level, and the level of the reported (clean) accuracy"),
      real_param("sigma_max", 20.0, 0.0, std::nullopt,
                 "largest training noise level (sigma_max = sigma_min: a classifier of clean data)"),
      real_param("data_std", 0.0, 0.0, std::nullopt, "s_data of the input scaling (0: RMS of the training data)"),
      integer_param("accuracy_levels", 8, 1, 1000,
                    "noise levels, geometric from sigma_max to sigma_min, of the accuracy-against-noise curve"),
  };
  p.insert(p.end(), own.begin(), own.end());
  return p;
}

std::size_t attribute_index(const Params& p) {
  const std::vector<dd::Attribute> all = data_attributes(p);
  for (std::size_t a = 0; a < all.size(); ++a)
    if (all[a].name == p.string("attribute")) return a;
  std::string known;
  for (const dd::Attribute& a : all) known += (known.empty() ? "" : ", ") + a.name;
  throw ConfigError("", "attribute",
                    fmt::format("data = \"{}\" has no attribute '{}' (it has: {})", p.string("data"),
                                p.string("attribute"), known.empty() ? "none" : known));
}

void validate(const Params& p) {
  validate_data(p);
  attribute_index(p);
  if (!(p.real("sigma_min") > 0)) throw ConfigError("", "sigma_min", "must be > 0");
  if (!(p.real("sigma_max") >= p.real("sigma_min"))) throw ConfigError("", "sigma_max", "must be >= sigma_min");
  if (!(p.real("lr") > 0)) throw ConfigError("", "lr", "must be > 0");
}

std::vector<int> column(const dd::Labels& labels, std::size_t a) {
  std::vector<int> c(static_cast<std::size_t>(labels.rows()));
  for (Eigen::Index i = 0; i < labels.rows(); ++i)
    c[static_cast<std::size_t>(i)] = labels(i, static_cast<Eigen::Index>(a));
  return c;
}

double accuracy(const dd::LearnedClassifier& classifier, const dd::Points& x, const std::vector<int>& labels,
                double sigma) {
  const std::vector<int> predicted = classifier.predict(x, dd::NoiseLevel{sigma, 1.0, sigma});
  long right = 0;
  for (std::size_t i = 0; i < labels.size(); ++i) right += predicted[i] == labels[i];
  return static_cast<double>(right) / static_cast<double>(labels.size());
}

void run(const Params& p, const TaskContext& ctx, TaskOutput& out) {
  const std::size_t a = attribute_index(p);
  const dd::Attribute target = data_attributes(p)[a];
  std::vector<double> losses;
  // A checkpoint, between two chunks of training steps: the repeat, the loss tails of the repeats before it, then
  // the training state (network, optimiser, losses, stream). What those repeats wrote is in the task's output.
  constexpr std::uint32_t tag = 0x44434C31;  // "DCL1"
  Bytes training_state;
  const std::int64_t first_repeat =
      runner::restore_repeat_checkpoint(ctx, tag, "diffusion.classifier", losses, training_state);
  for (std::int64_t r = first_repeat; r < ctx.repeats; ++r) {
    const auto rep = static_cast<std::uint32_t>(r);
    Stream data_stream = ctx.stream(rep, Purpose::patterns);
    const dd::LabelledPoints train = draw_labelled_data(p, p.integer("n_train"), data_stream);
    dd::MlpArchitecture arch;
    arch.dim = static_cast<int>(train.x.cols());
    arch.width = static_cast<int>(p.integer("width"));
    arch.depth = static_cast<int>(p.integer("depth"));
    arch.n_frequencies = static_cast<int>(p.integer("n_frequencies"));
    arch.data_std =
        p.real("data_std") > 0 ? p.real("data_std") : std::sqrt(train.x.squaredNorm() / double(train.x.size()));
    arch.target = target;
    dd::Mlp net(arch);
    Stream init = ctx.stream(rep, Purpose::init);
    net.initialize(init);
    dd::TrainingConfig cfg;
    cfg.batch = static_cast<int>(p.integer("batch"));
    cfg.adam.learning_rate = p.real("lr");
    cfg.schedule = dd::LearningRateSchedule::cosine;
    cfg.schedule_steps = p.integer("steps");
    cfg.noise = dd::NoiseDistribution::log_uniform(p.real("sigma_min"), p.real("sigma_max"));
    dd::ClassifierTrainer trainer(net, cfg);
    Stream stream = ctx.stream(rep, Purpose::training);
    const std::vector<int> labels = column(train.labels, a);
    const long steps = p.integer("steps");
    dd::TrainingCheckpoints checkpoints;
    checkpoints.due = [&] { return ctx.checkpoint_due(); };
    checkpoints.save = [&](Bytes&& state) { runner::save_repeat_checkpoint(ctx, tag, r, losses, state); };
    if (r == first_repeat && !training_state.empty()) checkpoints.restored = &training_state;
    dd::train_in_chunks(
        trainer, stream, steps, &checkpoints, [](long done) { return done + 200; },
        [&](long n) { trainer.train(train.x, labels, stream, n); },
        [&](long done) {
          ctx.report((static_cast<double>(r) + static_cast<double>(done) / static_cast<double>(steps)) /
                     static_cast<double>(ctx.repeats));
        });
    const std::size_t tail = std::max<std::size_t>(1, trainer.loss_curve().size() / 10);
    losses.insert(losses.end(), trainer.loss_curve().end() - static_cast<std::ptrdiff_t>(tail),
                  trainer.loss_curve().end());

    const dd::LearnedClassifier classifier(net.weights());
    Stream eval = ctx.stream(rep, Purpose::evaluation);
    const dd::LabelledPoints fresh = draw_labelled_data(p, p.integer("n_eval"), eval);
    const std::vector<int> truth = column(fresh.labels, a);
    out.sample("accuracy", accuracy(classifier, fresh.x, truth, p.real("sigma_min")));
    if (r == 0) {
      output_weights(net.weights(), out);
      const std::vector<double> sigmas =
          p.real("sigma_max") > p.real("sigma_min")
              ? dd::geometric(p.real("sigma_max"), p.real("sigma_min"), static_cast<int>(p.integer("accuracy_levels")))
              : std::vector<double>{p.real("sigma_min")};
      std::vector<double> by_sigma;
      Stream noise = ctx.stream(rep, Purpose::evaluation, 1);
      for (double sigma : sigmas) {
        dd::Points noisy = fresh.x;
        for (Eigen::Index k = 0; k < noisy.size(); ++k) noisy.data()[k] += sigma * noise.normal();
        by_sigma.push_back(accuracy(classifier, noisy, truth, sigma));
      }
      out.array("sigma", sigmas).doc("noise levels of accuracy_by_sigma");
      out.array("accuracy_by_sigma", by_sigma).doc("accuracy on the fresh points noised to each sigma");
      out.array("loss", trainer.loss_curve()).doc("minibatch cross-entropy per step (first repeat)");
    }
  }
  const stats::MeanError loss = stats::mean_error(losses);
  out.scalar("final_loss", loss.mean, loss.error);
}

}  // namespace

Kind diffusion_classifier_kind() {
  Kind k;
  k.name = "diffusion.classifier";
  k.summary =
      "train a noise-conditional classifier p_t(c | x) of one data attribute (cross-entropy on noised data): clean "
      "accuracy on fresh points, accuracy against noise, weights";
  k.params = classifier_params();
  k.validate = validate;
  k.run = run;
  k.cost = [](const Params& p) {
    return static_cast<double>(p.integer("steps")) * static_cast<double>(p.integer("batch")) *
           static_cast<double>(p.integer("width")) * static_cast<double>(p.integer("width")) *
           static_cast<double>(p.integer("depth"));
  };
  k.results = {
      result("accuracy", "fraction of fresh clean points whose most probable class is their own attribute value"),
      result("final_loss", "mean minibatch cross-entropy over the last tenth of training", "nats"),
  };
  return k;
}

}  // namespace spindiff::runner
