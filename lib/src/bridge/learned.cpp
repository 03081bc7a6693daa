#include "spindiff/bridge/learned.hpp"

#include <algorithm>
#include <cmath>

#include "spindiff/bridge/two_class.hpp"
#include "spindiff/diffusion/preconditioned_score.hpp"
#include "spindiff/diffusion/training.hpp"

namespace spindiff::bridge {

LearnedScore train_ou_score(const diffusion::Points& data, const LearnedScoreOptions& options, Stream& stream,
                            const std::function<void(double)>& progress,
                            const diffusion::TrainingCheckpoints* checkpoints) {
  diffusion::MlpArchitecture arch;
  arch.dim = static_cast<int>(data.cols());
  arch.width = options.width;
  arch.depth = options.depth;
  arch.data_std = std::sqrt(data.array().square().mean());  // RMS coordinate: the input scaling c_in
  LearnedScore r;
  auto net = std::make_shared<diffusion::Mlp>(arch);
  net->initialize(stream);

  diffusion::TrainingConfig config;
  config.batch = options.batch;
  config.adam.learning_rate = options.learning_rate;
  config.schedule = diffusion::LearningRateSchedule::cosine;
  config.schedule_steps = options.steps;
  config.noise = diffusion::NoiseDistribution::process_times(options.t_min, options.t_max, [](double t) {
    return diffusion::NoiseLevel{t, ou_scale(t), std::sqrt(ou_delta(t))};
  });
  diffusion::DsmTrainer<double> trainer(*net, config);
  const long chunk = std::max(1L, options.steps / 50);
  diffusion::train_in_chunks(
      trainer, stream, options.steps, checkpoints, [&](long done) { return done + chunk; },
      [&](long n) { trainer.train(data, stream, n); },
      [&](long done) {
        if (progress) progress(static_cast<double>(done) / static_cast<double>(options.steps));
      });
  r.loss_curve = trainer.loss_curve();
  r.net = std::make_unique<diffusion::PreconditionedScore>(std::move(net));
  return r;
}

}  // namespace spindiff::bridge
