#include "diffusion_train.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "diffusion/data_source.hpp"
#include "spindiff/diffusion/mlp.hpp"
#include "spindiff/diffusion/training.hpp"

namespace spindiff::runner {
namespace {

namespace dd = spindiff::diffusion;
using dd::Points;

using diffusion_kinds::data_params;
using diffusion_kinds::draw_data;
using diffusion_kinds::validate_data;

// --- A self-contained check of the trained score: probability-flow Heun on the EDM grid (VE, a = 1, σ(t) = t),
// dx/dσ = −σ s(x, σ), from x = σ_max z down to σ_min, then one Euler step to σ = 0. 2N − 1 evaluations.
Points sample_heun(const dd::ScoreModel& score, Eigen::Index n, int steps, double sigma_max, double sigma_min,
                   Stream& stream) {
  const double rho = 7.0;
  std::vector<double> sig(static_cast<std::size_t>(steps) + 1, 0.0);
  for (int i = 0; i < steps; ++i) {
    const double f = steps > 1 ? i / (steps - 1.0) : 0.0;
    sig[static_cast<std::size_t>(i)] =
        std::pow(std::pow(sigma_max, 1 / rho) + f * (std::pow(sigma_min, 1 / rho) - std::pow(sigma_max, 1 / rho)), rho);
  }
  Points x(n, score.dim());
  for (Eigen::Index k = 0; k < x.size(); ++k) x.data()[k] = sigma_max * stream.normal();
  Points s1, s2, euler, d1;
  for (int i = 0; i < steps; ++i) {
    const double a = sig[static_cast<std::size_t>(i)], b = sig[static_cast<std::size_t>(i) + 1];
    score.score(x, dd::NoiseLevel{a, 1.0, a}, s1);
    d1 = -a * s1;
    euler = x + (b - a) * d1;
    if (b == 0.0) {
      x = euler;
      break;
    }
    score.score(euler, dd::NoiseLevel{b, 1.0, b}, s2);
    x += (b - a) * 0.5 * (d1 - b * s2);
  }
  return x;
}

// Unbiased MMD² with a Gaussian kernel (Gretton et al. 2012); h <= 0: the median pairwise distance of the pooled
// first 1000 points of each set (the same convention as diffusion.sample's `mmd`).
double mmd2(const Points& x, const Points& y, double h) {
  auto sq = [](const Points& a, Eigen::Index i, const Points& b, Eigen::Index j) {
    return (a.row(i) - b.row(j)).squaredNorm();
  };
  if (h <= 0) {
    Points pool(std::min<Eigen::Index>(x.rows(), 1000) + std::min<Eigen::Index>(y.rows(), 1000), x.cols());
    pool << x.topRows(std::min<Eigen::Index>(x.rows(), 1000)), y.topRows(std::min<Eigen::Index>(y.rows(), 1000));
    std::vector<double> d;
    for (Eigen::Index i = 0; i < pool.rows(); ++i)
      for (Eigen::Index j = i + 1; j < pool.rows(); ++j) d.push_back(std::sqrt(sq(pool, i, pool, j)));
    std::nth_element(d.begin(), d.begin() + static_cast<std::ptrdiff_t>(d.size() / 2), d.end());
    h = d[d.size() / 2];
  }
  const double inv = -1.0 / (2 * h * h);
  auto mean_kernel = [&](const Points& a, const Points& b, bool same) {
    double sum = 0;
    for (Eigen::Index i = 0; i < a.rows(); ++i)
      for (Eigen::Index j = same ? i + 1 : 0; j < b.rows(); ++j) sum += std::exp(inv * sq(a, i, b, j));
    const double pairs = same ? 0.5 * static_cast<double>(a.rows()) * static_cast<double>(a.rows() - 1)
                              : static_cast<double>(a.rows()) * static_cast<double>(b.rows());
    return sum / pairs;
  };
  return mean_kernel(x, x, true) + mean_kernel(y, y, true) - 2 * mean_kernel(x, y, false);
}

// The weights as task datasets weights/<name>; the architecture rides on each dataset as attributes (the kind
// cannot set attributes on the group), which io::read_mlp_weights(file, "tasks/NNNN/weights") reads.
void output_weights(const dd::MlpWeights& w, TaskOutput& out) {
  const dd::MlpArchitecture& a = w.architecture;
  for (const dd::NamedArray& arr : w.arrays) {
    Array& stored = out.array("weights/" + arr.name, arr.values, arr.shape);
    stored.attributes = {{"format", std::string("spindiff.mlp")},
                         {"version", std::int64_t{1}},
                         {"dim", std::int64_t{a.dim}},
                         {"width", std::int64_t{a.width}},
                         {"depth", std::int64_t{a.depth}},
                         {"n_frequencies", std::int64_t{a.n_frequencies}},
                         {"data_std", a.data_std},
                         {"precision", std::string(dd::precision_name(w.precision))},
                         {"activation", std::string("silu")},
                         {"parameterisation", std::string("epsilon")}};
  }
}

std::vector<double> flatten(const Points& x) { return std::vector<double>(x.data(), x.data() + x.size()); }

struct Trained {
  dd::MlpWeights weights;
  std::vector<double> loss;
  std::unique_ptr<dd::ScoreModel> score;
};

template <class Scalar>
Trained train(const Params& p, const Points& data, const dd::MlpArchitecture& arch, const TaskContext& ctx,
              std::uint32_t repeat) {
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
  cfg.noise = dd::NoiseDistribution::log_uniform(p.real("sigma_min"), p.real("sigma_max"));
  dd::DsmTrainer<Scalar> trainer(net, cfg);
  Stream stream = ctx.stream(repeat, Purpose::training);
  const double repeats = static_cast<double>(ctx.repeats);
  for (long done = 0; done < steps;) {
    const long chunk = std::min(steps - done, 200L);
    trainer.train(data, stream, chunk);
    done += chunk;
    ctx.report((repeat + static_cast<double>(done) / static_cast<double>(steps)) / repeats);
  }
  Trained t{net.weights(), trainer.loss_curve(), nullptr};
  t.score = std::make_unique<dd::MlpT<Scalar>>(std::move(net));
  return t;
}

void run_train(const Params& p, const TaskContext& ctx, TaskOutput& out) {
  const auto n_train = p.integer("n_train");
  const auto n_samples = p.integer("n_samples");
  const long steps = p.integer("steps");
  std::vector<double> losses, last_losses, mmds;
  for (std::int64_t r = 0; r < ctx.repeats; ++r) {
    const auto repeat = static_cast<std::uint32_t>(r);
    Stream data_stream = ctx.stream(repeat, Purpose::patterns);
    const Points data = draw_data(p, n_train, data_stream);

    dd::MlpArchitecture arch;
    arch.dim = static_cast<int>(data.cols());
    arch.width = static_cast<int>(p.integer("width"));
    arch.depth = static_cast<int>(p.integer("depth"));
    arch.n_frequencies = static_cast<int>(p.integer("n_frequencies"));
    // Input scaling: the data's root-mean-square coordinate unless given.
    arch.data_std = p.real("data_std") > 0 ? p.real("data_std") : std::sqrt(data.squaredNorm() / data.size());

    Trained t = p.string("precision") == "float32" ? train<float>(p, data, arch, ctx, repeat)
                                                   : train<double>(p, data, arch, ctx, repeat);
    losses.insert(losses.end(), t.loss.begin(), t.loss.end());
    const std::size_t tail = std::max<std::size_t>(1, t.loss.size() / 10);
    last_losses.insert(last_losses.end(), t.loss.end() - static_cast<std::ptrdiff_t>(tail), t.loss.end());

    if (r == 0) output_weights(t.weights, out);
    if (n_samples > 0) {
      Stream dyn = ctx.stream(repeat, Purpose::dynamics);
      const Points samples = sample_heun(*t.score, n_samples, static_cast<int>(p.integer("sample_steps")),
                                         p.real("sigma_max"), p.real("sigma_min"), dyn);
      Stream eval = ctx.stream(repeat, Purpose::evaluation);
      const Points fresh = draw_data(p, n_samples, eval);
      mmds.push_back(mmd2(samples, fresh, p.real("mmd_bandwidth")));
      if (r == 0) {
        const auto d = static_cast<std::size_t>(samples.cols());
        out.array("samples", flatten(samples), {static_cast<std::size_t>(n_samples), d});
        const Eigen::Index shown = std::min<Eigen::Index>(n_train, n_samples);
        Points head = data.topRows(shown);
        out.array("data", flatten(head), {static_cast<std::size_t>(shown), d});
      }
    }
  }
  out.array("loss", losses, {static_cast<std::size_t>(ctx.repeats), static_cast<std::size_t>(steps)});

  auto mean_and_error = [](const std::vector<double>& v) {
    double m = 0, m2 = 0;
    for (double x : v) m += x / static_cast<double>(v.size());
    for (double x : v) m2 += (x - m) * (x - m);
    const double se =
        v.size() > 1 ? std::sqrt(m2 / static_cast<double>(v.size() - 1) / static_cast<double>(v.size())) : 0.0;
    return std::make_pair(m, se);
  };
  // Minibatch losses of the last 10% of steps: independent draws around the converged loss.
  const auto [loss, loss_err] = mean_and_error(last_losses);
  out.scalar("final_loss", loss, loss_err);
  if (!mmds.empty()) {
    const auto [mmd, mmd_err] = mean_and_error(mmds);
    if (mmds.size() > 1)
      out.scalar("mmd", mmd, mmd_err);
    else
      out.scalar("mmd", mmd);
  }
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
      real_param("data_std", 0.0, 0.0, std::nullopt, "s_data of the input scaling (0: RMS of the training data)"),
      choice_param("precision", "float64", {"float64", "float32"}, "arithmetic of the network"),
      integer_param("n_samples", 2000, 0, 1e7, "samples drawn after training (probability-flow Heun; 0: none)"),
      integer_param("sample_steps", 40, 1, 1e6, "noise levels of the Heun sampler (2N - 1 evaluations)"),
      real_param("mmd_bandwidth", 0.0, 0.0, std::nullopt, "Gaussian kernel width of the MMD (0: median distance)"),
  };
  k.params.insert(k.params.end(), own.begin(), own.end());
  k.run = run_train;
  k.validate = [](const Params& p) {
    validate_data(p);
    if (!(p.real("sigma_min") > 0)) throw ConfigError("", "sigma_min", "must be > 0");
    if (!(p.real("sigma_max") > p.real("sigma_min"))) throw ConfigError("", "sigma_max", "must exceed sigma_min");
    if (!(p.real("lr") > 0)) throw ConfigError("", "lr", "must be > 0");
  };
  k.cost = [](const Params& p) {
    return static_cast<double>(p.integer("steps")) * static_cast<double>(p.integer("batch")) *
           static_cast<double>(p.integer("width")) * static_cast<double>(p.integer("width")) *
           static_cast<double>(p.integer("depth"));
  };
  kinds.push_back(std::move(k));
}

}  // namespace spindiff::runner
