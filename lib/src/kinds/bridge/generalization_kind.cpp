// bridge.generalization: from memorising to generalising as the training set grows (Kadkhodaie, Guth, Simoncelli
// & Mallat, ICLR 2024). Two score networks are trained on disjoint sets of P handwritten digits each and both
// sample, with the deterministic probability-flow ODE (Heun), from the same initial noise. Few digits: each network
// reproduces its own training digits, so the two outputs differ. Many digits: both learn the same density and the
// same noise maps to the same new digit.
#include <cmath>
#include <limits>
#include <stdexcept>

#include "../digits_source.hpp"
#include "bridge_kinds.hpp"
#include "spindiff/core/bytes.hpp"
#include "spindiff/diffusion/forward_process.hpp"
#include "spindiff/diffusion/metrics.hpp"
#include "spindiff/diffusion/mlp.hpp"
#include "spindiff/diffusion/preconditioned_score.hpp"
#include "spindiff/diffusion/samplers.hpp"
#include "spindiff/diffusion/training.hpp"
#include "spindiff/runner/repeat_checkpoint.hpp"

namespace spindiff::runner::bridge_kinds {

namespace {

using diffusion::Points;

// This repeat's mean over its samples, with the standard error over them (the error bar of a single repeat).
void sample_mean(TaskOutput& out, const std::string& name, const Eigen::VectorXd& v) {
  const double n = static_cast<double>(v.size()), m = v.mean();
  const double var = (v.array() - m).square().sum() / (n - 1);
  out.sample(name, m, std::sqrt(var / n));
}

Eigen::VectorXd cosine(const Points& a, const Points& b) {
  return (a.cwiseProduct(b).rowwise().sum().array() / (a.rowwise().norm().array() * b.rowwise().norm().array()))
      .matrix();
}

// A score network (Karras et al. 2022 EDM preconditioning) trained by denoising score matching on `data`, with
// ln sigma uniform in [ln sigma_min, ln sigma_max]; checkpointed between chunks of 200 steps.
diffusion::MlpT<float> train_score(const Params& p, const Points& data, Stream init, Stream batches,
                                   std::vector<double>& loss, const diffusion::TrainingCheckpoints& checkpoints) {
  diffusion::MlpArchitecture arch;
  arch.dim = static_cast<int>(data.cols());
  arch.width = static_cast<int>(p.integer("width"));
  arch.depth = static_cast<int>(p.integer("depth"));
  arch.data_std = std::sqrt(data.squaredNorm() / static_cast<double>(data.size()));
  arch.parameterisation = diffusion::Parameterisation::edm;
  diffusion::MlpT<float> net(arch);
  net.initialize(init);
  diffusion::TrainingConfig cfg;
  cfg.batch = static_cast<int>(p.integer("batch"));
  cfg.adam.learning_rate = p.real("learning_rate");
  cfg.schedule = diffusion::LearningRateSchedule::cosine;
  cfg.schedule_steps = p.integer("train_steps");
  cfg.noise = diffusion::NoiseDistribution::log_uniform(p.real("sigma_min"), p.real("sigma_max"));
  diffusion::DsmTrainer<float> trainer(net, cfg);
  diffusion::train_in_chunks(
      trainer, batches, p.integer("train_steps"), &checkpoints, [](long done) { return done + 200; },
      [&](long n) { trainer.train(data, batches, n); }, [](long) {});
  loss = trainer.loss_curve();
  return net;
}

void run(const Params& p, const TaskContext& ctx, TaskOutput& out) {
  const auto P = static_cast<Eigen::Index>(p.integer("P"));
  const auto n = static_cast<Eigen::Index>(p.integer("samples"));
  const double ratio = p.real("ratio");
  // Probability-flow Heun on the EDM grid (sigma(t) = t) from sigma_max down to sigma_min, then one Euler step to 0.
  const diffusion::Edm process(p.real("sigma_min"), p.real("sigma_max"));
  const std::vector<double> times = process.default_times(static_cast<int>(p.integer("sample_steps")));

  // A checkpoint, inside the training of one of the two networks: the repeat, which network, the samples of
  // network A when B trains, then the training state (network, optimiser, losses, stream). What the repeats
  // before it gave, and repeat 0's loss_a, are in the task's output.
  constexpr std::uint32_t tag = 0x42474E31;  // "BGN1"
  int first_net = 0;
  std::vector<double> samples_a;
  Bytes training_state;
  const std::int64_t first_repeat =
      runner::restore_repeat_checkpoint(ctx, tag, "bridge.generalization", first_net, samples_a, training_state);
  if (first_net < 0 || first_net > 1) throw std::runtime_error("bridge.generalization checkpoint does not fit");

  for (std::int64_t r = first_repeat; r < ctx.repeats; ++r) {
    const auto rep = static_cast<std::uint32_t>(r);
    // 2P training digits of this repeat's split, in random order: the first P train A, the next P train B.
    Stream data_rng = ctx.stream(rep, Purpose::patterns), test_rng = ctx.stream(rep, Purpose::evaluation);
    const LabelledDigits digits = digit_points(p, static_cast<std::size_t>(2 * P), data_rng);
    const Points held_out = digit_points(p, std::numeric_limits<std::size_t>::max(), test_rng).x;
    const Points train[2] = {digits.x.topRows(P), digits.x.bottomRows(P)};

    Points x0(n, digits.x.cols());
    process.sample_prior(x0, ctx.stream(rep, Purpose::init));
    Points x[2] = {x0, x0};
    const bool resumed = r == first_repeat && !training_state.empty();
    if (resumed && first_net == 1) {
      if (samples_a.size() != static_cast<std::size_t>(x[0].size()))
        throw std::runtime_error("bridge.generalization checkpoint does not fit (samples)");
      std::copy(samples_a.begin(), samples_a.end(), x[0].data());
    }
    for (int m = resumed ? first_net : 0; m < 2; ++m) {
      diffusion::TrainingCheckpoints checkpoints;
      checkpoints.due = [&] { return ctx.checkpoint_due(); };
      checkpoints.save = [&](Bytes&& state) {
        const std::vector<double> kept_a =
            m == 1 ? std::vector<double>(x[0].data(), x[0].data() + x[0].size()) : std::vector<double>{};
        runner::save_repeat_checkpoint(ctx, tag, r, m, kept_a, state);
      };
      if (resumed && m == first_net) checkpoints.restored = &training_state;
      std::vector<double> loss;
      const diffusion::MlpT<float> net =
          train_score(p, train[m], ctx.stream(rep, Purpose::training, 2 * static_cast<std::uint64_t>(m)),
                      ctx.stream(rep, Purpose::training, 2 * static_cast<std::uint64_t>(m) + 1), loss, checkpoints);
      diffusion::probability_flow_heun(diffusion::PreconditionedScore(net), process, times, x[m],
                                       ctx.stream(rep, Purpose::dynamics));  // draws no noise
      if (r == 0) out.array(m == 0 ? "loss_a" : "loss_b", std::move(loss));
      ctx.report((static_cast<double>(r) + 0.5 * (m + 1)) / static_cast<double>(ctx.repeats));
    }

    const Eigen::VectorXd cross = cosine(x[0], x[1]);
    sample_mean(out, "cross_similarity", cross);
    Eigen::VectorXd copy(2 * n), d_train(2 * n), d_test(2 * n);
    for (int m = 0; m < 2; ++m) {
      const Eigen::MatrixXd own = diffusion::nearest_two_distances(x[m], train[m]);
      const Eigen::MatrixXd test = diffusion::nearest_two_distances(x[m], held_out);
      for (Eigen::Index i = 0; i < n; ++i) {
        copy(m * n + i) = own(i, 0) < ratio * own(i, 1) ? 1.0 : 0.0;
        d_train(m * n + i) = own(i, 0);
        d_test(m * n + i) = test(i, 0);
      }
    }
    sample_mean(out, "copy_fraction", copy);
    sample_mean(out, "nearest_train_distance", d_train);
    sample_mean(out, "nearest_test_distance", d_test);

    if (r == 0) {
      const auto rows = static_cast<std::size_t>(n), d = static_cast<std::size_t>(x0.cols());
      const auto shown = static_cast<std::size_t>(std::min<Eigen::Index>(P, 64));
      out.array("samples_a", std::vector<double>(x[0].data(), x[0].data() + x[0].size()), {rows, d})
          .doc("outputs of the network trained on set A, one per initial noise");
      out.array("samples_b", std::vector<double>(x[1].data(), x[1].data() + x[1].size()), {rows, d})
          .doc("outputs of the network trained on set B from the same noises");
      out.array("training_a", std::vector<double>(train[0].data(), train[0].data() + shown * d), {shown, d})
          .doc("the first training digits of set A (at most 64)");
      out.array("training_b", std::vector<double>(train[1].data(), train[1].data() + shown * d), {shown, d})
          .doc("the first training digits of set B (at most 64)");
      out.array("cross_similarity_per_sample", std::vector<double>(cross.data(), cross.data() + cross.size()))
          .doc("cosine similarity of the two outputs of each noise");
    }
    ctx.report(static_cast<double>(r + 1) / static_cast<double>(ctx.repeats));
  }
}

}  // namespace

Kind generalization_kind() {
  Kind k;
  k.name = "bridge.generalization";
  k.summary =
      "two scores trained on disjoint sets of P handwritten digits, sampled from the same noise: memorising "
      "(different copies) to generalising (the same new digit)";
  k.params = {
      summary(integer_param("P", 64, 1, 1e6, "training digits of each of the two disjoint sets")),
      integer_param("samples", 200, 2, 1e6, "initial noises, each sampled by both networks"),
      real_param("ratio", 1.0 / 3.0, 0.0, 1.0,
                 "memorisation threshold: an output copies its training set when d_1 / d_2 is below this"),
      real_param("sigma_min", 0.01, 1e-6, 100.0, "smallest noise level (training and sampling)"),
      real_param("sigma_max", 10.0, 1e-3, 1e4, "largest noise level: the initial noise is N(0, sigma_max^2 I)"),
      integer_param("sample_steps", 40, 1, 1e6,
                    "noise levels of the probability-flow Heun sampler on the EDM grid (2N - 1 evaluations)"),
      integer_param("width", 256, 4, 1e5, "hidden units per layer of the score MLP (EDM preconditioning, float32)"),
      integer_param("depth", 3, 1, 100, "hidden layers"),
      integer_param("train_steps", 4000, 1, 1e9, "Adam steps of denoising score matching"),
      integer_param("batch", 128, 1, 1e6, "minibatch size"),
      real_param("learning_rate", 2e-3, 1e-7, 1.0, "peak Adam learning rate (cosine schedule)"),
  };
  for (ParamSpec& spec : digits_params("", false)) k.params.push_back(std::move(spec));
  k.validate = [](const Params& p) {
    validate_digits(p);
    if (!(p.real("sigma_max") > p.real("sigma_min"))) throw ConfigError("", "sigma_max", "must exceed sigma_min");
    const std::size_t available = digits_training_size(p);
    if (static_cast<std::size_t>(2 * p.integer("P")) > available)
      throw ConfigError("", "P",
                        "two disjoint sets of P digits need 2P <= " + std::to_string(available) +
                            " (the training part; lower test_fraction for more)");
  };
  k.run = run;
  k.cost = [](const Params& p) { return double(p.integer("train_steps")) * double(p.integer("width")); };
  k.results = {
      result("cross_similarity", "mean cosine similarity of the two networks' samples from the same noise"),
      result("copy_fraction", "fraction of samples copying a point of their own training set"),
      result("nearest_train_distance", "mean distance from a sample to its nearest own training digit"),
      result("nearest_test_distance", "mean distance from a sample to its nearest held-out digit"),
  };
  return k;
}

}  // namespace spindiff::runner::bridge_kinds
