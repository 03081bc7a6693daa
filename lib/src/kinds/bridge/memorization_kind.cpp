// bridge.memorization: a score network trained on P samples of a known distribution, for increasing P at a fixed
// network size: the fraction of generated samples that copy a training point, and the MMD to the true
// distribution. The empirical score (the exact score of the training set) is the pure-memory limit.
#include <cmath>
#include <limits>
#include <stdexcept>

#include "bridge_kinds.hpp"
#include "recall_learned.hpp"
#include "spindiff/bridge/curves.hpp"
#include "spindiff/bridge/learned.hpp"
#include "spindiff/bridge/two_class.hpp"
#include "spindiff/core/bytes.hpp"
#include "spindiff/diffusion/empirical_score.hpp"
#include "spindiff/diffusion/forward_process.hpp"
#include "spindiff/diffusion/metrics.hpp"
#include "spindiff/diffusion/samplers.hpp"
#include "spindiff/runner/repeat_checkpoint.hpp"

namespace spindiff::runner::bridge_kinds {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Fraction of rows whose nearest/second-nearest training-point distance ratio is below `ratio`.
double copy_fraction(const diffusion::Points& samples, const diffusion::Points& training, double ratio) {
  const Eigen::MatrixXd d = diffusion::nearest_two_distances(samples, training);
  return static_cast<double>((d.col(0).array() < ratio * d.col(1).array()).count()) /
         static_cast<double>(samples.rows());
}

void run(const Params& p, const TaskContext& ctx, TaskOutput& out) {
  const auto d = static_cast<int>(p.integer("d"));
  const auto P = p.integer("P");
  const auto n = p.integer("samples");
  const double ratio = p.real("ratio");
  const bool learned = p.string("score") == "learned";
  const auto mixture = bridge::two_class_mixture(Eigen::VectorXd::Ones(d), p.real("sigma"));
  const std::vector<double> times = bridge::backward_times(p.real("T"), p.real("t_min"), p.real("dt"));
  const diffusion::OrnsteinUhlenbeck ou(times.front(), times.back());

  std::vector<double> loss_curve;
  // A checkpoint, inside the training of a learned score: the repeat, repeat 0's loss curve, then the training
  // state (network, optimiser, losses, stream). What the repeats before it gave is in the task's output.
  constexpr std::uint32_t tag = 0x424D5A31;  // "BMZ1"
  Bytes training_state;
  const std::int64_t first_repeat =
      runner::restore_repeat_checkpoint(ctx, tag, "bridge.memorization", loss_curve, training_state);
  for (std::int64_t r = first_repeat; r < ctx.repeats; ++r) {
    const auto rep = static_cast<std::uint32_t>(r);
    Stream data_rng = ctx.stream(rep, Purpose::patterns), eval_rng = ctx.stream(rep, Purpose::evaluation);
    const diffusion::Points training = diffusion::sample_mixture(mixture, P, data_rng);
    const diffusion::Points fresh = diffusion::sample_mixture(mixture, n, eval_rng);

    std::unique_ptr<diffusion::ScoreModel> score;
    double final_loss = nan;  // the empirical score is not trained
    if (learned) {
      bridge::LearnedScoreOptions o = learned_score_options(p, p.real("T"));
      Stream train_rng = ctx.stream(rep, Purpose::training);
      auto progress = [&](double f) {
        ctx.report((static_cast<double>(r) + 0.9 * f) / static_cast<double>(ctx.repeats));
      };
      diffusion::TrainingCheckpoints checkpoints;
      checkpoints.due = [&] { return ctx.checkpoint_due(); };
      checkpoints.save = [&](Bytes&& state) { runner::save_repeat_checkpoint(ctx, tag, r, loss_curve, state); };
      if (r == first_repeat && !training_state.empty()) checkpoints.restored = &training_state;
      bridge::LearnedScore trained = bridge::train_ou_score(training, o, train_rng, progress, &checkpoints);
      // The mean loss of the last 5% of steps: the converged DSM loss.
      const std::size_t tail = std::max<std::size_t>(1, trained.loss_curve.size() / 20);
      double l = 0;
      for (std::size_t k = trained.loss_curve.size() - tail; k < trained.loss_curve.size(); ++k)
        l += trained.loss_curve[k];
      final_loss = l / static_cast<double>(tail);
      if (r == 0) loss_curve = trained.loss_curve;
      score = std::move(trained.net);
    } else {
      score = std::make_unique<diffusion::EmpiricalScore>(training);
    }

    diffusion::Points x(n, d);
    ou.sample_prior(x, ctx.stream(rep, Purpose::init));
    diffusion::SamplerOptions options;
    options.denoise_last = true;
    diffusion::reverse_sde_euler_maruyama(*score, ou, times, x, ctx.stream(rep, Purpose::dynamics), options);

    // Each repeat's own error is binomial over its samples: the error bar when there is a single repeat.
    const double cf = copy_fraction(x, training, ratio);
    out.sample("copy_fraction", cf, std::sqrt(cf * (1 - cf) / static_cast<double>(n)));
    out.sample("copy_fraction_true", copy_fraction(fresh, training, ratio));
    const double h = diffusion::median_distance(x, fresh);
    out.sample("mmd", diffusion::mmd2_unbiased(x, fresh, h));
    out.sample("mmd_training", diffusion::mmd2_unbiased(training, fresh, diffusion::median_distance(training, fresh)));
    out.sample("final_loss", final_loss);
    if (r == 0) {
      const Eigen::Index keep = std::min<Eigen::Index>(n, 500);
      out.array("samples", std::vector<double>(x.data(), x.data() + keep * d),
                {static_cast<std::size_t>(keep), static_cast<std::size_t>(d)});
      out.array("training", std::vector<double>(training.data(), training.data() + std::min<Eigen::Index>(P, 2000) * d),
                {static_cast<std::size_t>(std::min<Eigen::Index>(P, 2000)), static_cast<std::size_t>(d)});
      const Eigen::MatrixXd nd = diffusion::nearest_two_distances(x, training);
      std::vector<double> ratios(static_cast<std::size_t>(n));
      for (Eigen::Index i = 0; i < n; ++i) ratios[static_cast<std::size_t>(i)] = nd(i, 0) / nd(i, 1);
      out.array("distance_ratio", ratios);
    }
    ctx.report(static_cast<double>(r + 1) / static_cast<double>(ctx.repeats));
  }
  if (!loss_curve.empty()) out.array("loss_curve", loss_curve);
}
}  // namespace

Kind memorization_kind() {
  Kind k;
  k.name = "bridge.memorization";
  k.summary = "learned score trained on P samples: fraction of generated samples copying training points, MMD";
  k.params = {
      summary(choice_param("score", "learned", {"learned", "empirical"},
                           "learned: MLP trained by denoising score matching; empirical: exact score of the "
                           "training set (pure memory)")),
      summary(integer_param("P", 64, 2, 1e7, "training samples")),
      integer_param("d", 8, 1, 4096, "dimension; data from the two-class mixture +-(1, ..., 1)"),
      real_param("sigma", 1.0, 1e-3, 100.0, "standard deviation of each class"),
      integer_param("samples", 1000, 2, 1e7, "generated samples (and fresh true samples) per repeat"),
      real_param("ratio", 1.0 / 3.0, 0.0, 1.0, "a sample copies a training point when d_1 / d_2 is below this"),
      real_param("T", 3.0, 0.01, 100.0, "start time of the OU reverse SDE (and largest training time)"),
      real_param("t_min", 1e-3, 1e-6, 1.0, "end time of the reverse SDE (and smallest training time)"),
      real_param("dt", 0.01, 1e-5, 1.0, "reverse-SDE time step"),
      integer_param("width", 128, 4, 1e5, "hidden units per layer of the score MLP"),
      integer_param("depth", 3, 1, 100, "hidden layers"),
      integer_param("train_steps", 4000, 1, 1e9, "Adam steps of denoising score matching"),
      integer_param("batch", 128, 1, 1e6, "minibatch size"),
      real_param("learning_rate", 2e-3, 1e-7, 1.0, "peak Adam learning rate (cosine schedule)"),
  };
  k.run = run;
  k.cost = [](const Params& p) {
    return p.string("score") == "learned" ? double(p.integer("train_steps")) * double(p.integer("width")) * 100
                                          : double(p.integer("P")) * double(p.integer("samples"));
  };
  k.results = {
      result("copy_fraction", "fraction of generated samples copying a training point (nearest/second < `ratio`)"),
      result("copy_fraction_true", "the same for fresh samples of the true law (false-copy floor)"),
      result("mmd", "unbiased MMD^2 between the generated samples and fresh data"),
      result("mmd_training", "unbiased MMD^2 between the training set and fresh data"),
      result("final_loss", "mean training loss over the last 5% of steps"),
  };
  return k;
}

}  // namespace spindiff::runner::bridge_kinds
