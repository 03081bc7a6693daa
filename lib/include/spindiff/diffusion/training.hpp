#pragma once
// Denoising score matching for the MLP score (docs/theory/learned-score.md).
//
// Each step draws a minibatch x_0 from the training set, a noise level (a, σ) per point and ε ~ N(0, I),
// and minimises L = (1/B) Σ_i ‖F(a x_0 + σ ε, a, σ) − target‖². For the epsilon parameterisation the target
// is ε, the DSM loss with weighting λ(σ) = σ² for the score s = −ε̂/σ; for edm it is (x_0 − c_skip x_t)/c_out,
// Karras et al.'s loss λ(σ) ‖D − x_0‖² with λ = 1/c_out² (mlp.hpp). Parameters are updated by Adam. Everything random
// comes from the caller's Stream, so a run is a deterministic function of the stream; the step allocates nothing.
//
// A conditional network (label attributes, mlp.hpp) is trained on labelled data: each point carries its labels, and
// each attribute's label is dropped independently with probability label_dropout, so one network learns the joint
// condition, every single-attribute condition and the unconditional score (classifier-free guidance, Ho & Salimans
// 2022; composition needs the single-attribute ones).
#include <algorithm>
#include <cstdint>
#include <functional>
#include <span>
#include <stdexcept>
#include <vector>

#include "spindiff/core/bytes.hpp"
#include "spindiff/core/rng.hpp"
#include "spindiff/diffusion/mlp.hpp"
#include "spindiff/diffusion/score.hpp"

namespace spindiff::diffusion {

// The distribution of noise levels seen in training.
struct NoiseDistribution {
  enum class Kind {
    log_uniform_sigma,  // a = 1, ln σ uniform in [ln low, ln high]
    uniform_time,       // t uniform in [low, high], (a, σ) = level_at(t) (any forward process)
    log_normal_sigma    // a = 1, ln σ ~ N(low, high²) (EDM: low = −1.2, high = 1.2)
  };
  Kind kind = Kind::log_uniform_sigma;
  double low = 0.01;
  double high = 50.0;
  std::function<NoiseLevel(double t)> level_at;

  static NoiseDistribution log_uniform(double sigma_min, double sigma_max);
  static NoiseDistribution process_times(double t_min, double t_max, std::function<NoiseLevel(double)> level_at);
  static NoiseDistribution log_normal(double mean_log_sigma, double sd_log_sigma);
  NoiseLevel sample(Stream& stream) const;
  void validate() const;  // throws std::invalid_argument
};

struct AdamConfig {
  double learning_rate = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-8;
};

enum class LearningRateSchedule {
  constant,
  cosine  // lr ½(1 + cos(π k/K)) at step k of K = schedule_steps (0 after K)
};

struct TrainingConfig {
  int batch = 256;
  AdamConfig adam;
  LearningRateSchedule schedule = LearningRateSchedule::constant;
  long schedule_steps = 0;  // K of the cosine schedule (required > 0 for cosine)
  NoiseDistribution noise;
  double label_dropout = 0.0;  // probability of dropping each attribute's label (conditional networks)
  void validate() const;       // throws std::invalid_argument
};

// Adam over one flat parameter vector (PyTorch's update: θ -= lr/(1−β1^t) · m / (sqrt(v/(1−β2^t)) + eps)).
template <class Scalar>
class Adam {
 public:
  Adam(std::size_t size, const AdamConfig& config);
  void step(std::span<Scalar> params, std::span<const Scalar> grad);
  [[nodiscard]] long steps() const { return t_; }
  void set_learning_rate(double lr) { config_.learning_rate = lr; }
  // The moments and the step count (a checkpoint saves them).
  template <class Archive>
  void fields(Archive& ar) {
    const std::size_t size = m_.size();
    ar(m_, v_, t_);
    if (m_.size() != size || v_.size() != size) throw std::runtime_error("checkpoint: the optimiser's size differs");
  }

 private:
  AdamConfig config_;
  AlignedVector<Scalar> m_, v_;
  long t_ = 0;
};

// A network's parameters in a checkpoint: written as one vector, read back in place (the sizes must agree).
template <class Archive, class Scalar>
void parameter_fields(Archive& ar, MlpT<Scalar>& net) {
  std::vector<Scalar> params;
  if constexpr (!Archive::reading) params.assign(net.parameters().begin(), net.parameters().end());
  ar(params);
  if constexpr (Archive::reading) {
    if (params.size() != net.parameter_count()) throw std::runtime_error("checkpoint: the network's size differs");
    std::copy(params.begin(), params.end(), net.parameters().begin());
  }
}

template <class Scalar>
class DsmTrainer {
 public:
  using Net = MlpT<Scalar>;

  // The trainer keeps a reference to `net` and updates its parameters in place.
  DsmTrainer(Net& net, const TrainingConfig& config);

  // One Adam step on a fresh minibatch of `data` (n × d); returns the minibatch loss. A conditional network needs
  // `labels` (n × its attributes, value indices); an unconditional one ignores them.
  double step(const Points& data, Stream& stream) { return step(data, nullptr, stream); }
  double step(const Points& data, const Labels* labels, Stream& stream);
  // `steps` steps; appends each minibatch loss to loss_curve().
  void train(const Points& data, Stream& stream, long steps) { train(data, nullptr, stream, steps); }
  void train(const Points& data, const Labels* labels, Stream& stream, long steps);

  [[nodiscard]] const std::vector<double>& loss_curve() const { return loss_curve_; }
  [[nodiscard]] const TrainingConfig& config() const { return config_; }
  [[nodiscard]] long steps_done() const { return adam_.steps(); }
  // The whole training state (a checkpoint saves it): the network's parameters, the optimiser and the losses.
  template <class Archive>
  void fields(Archive& ar) {
    parameter_fields(ar, net_);
    ar(adam_, loss_curve_);
  }

  // The loss of the batch already in ws.act[0] against `targets` (d × n), and its gradient into grad.
  // Used by step(); public for the gradient check.
  static double loss_and_gradient(const Net& net, typename Net::Workspace& ws, const typename Net::Matrix& targets,
                                  int n, std::span<Scalar> grad);

 private:
  Net& net_;
  TrainingConfig config_;
  typename Net::Workspace ws_;
  typename Net::Matrix targets_;  // regression targets of the current batch (d × B): ε for epsilon
  std::vector<double> xt_;        // one noised point
  std::vector<double> eps_;       // its noise
  std::vector<int> label_;        // its labels after dropout
  AlignedVector<Scalar> grad_;
  Adam<Scalar> adam_;
  std::vector<double> loss_curve_;
};

// Checkpoints of a long training run: between two chunks of steps `due()` is asked, and when it says so `save` gets
// the run's whole state; a run given `restored` continues from such a state and ends bit for bit as the
// uninterrupted run.
struct TrainingCheckpoints {
  std::function<bool()> due;
  std::function<void(Bytes&&)> save;
  const Bytes* restored = nullptr;
};

// A training loop of `steps` steps in chunks: `run_steps(n)` makes n steps of `trainer` drawing from `stream`,
// `chunk_end(done)` says where the chunk that starts at `done` ends, `after_chunk(done)` runs after each (progress,
// snapshots). Between two chunks (never after the last) it may save a checkpoint: the steps done, the trainer
// (fields(): network, optimiser, losses) and the stream. Every step is the same whatever the chunks, so neither
// the chunks nor the checkpoints change the result.
template <class Trainer, class ChunkEnd, class RunSteps, class AfterChunk>
void train_in_chunks(Trainer& trainer, Stream& stream, long steps, const TrainingCheckpoints* checkpoints,
                     ChunkEnd&& chunk_end, RunSteps&& run_steps, AfterChunk&& after_chunk) {
  constexpr std::uint32_t tag = 0x54524E31;  // "TRN1"
  long done = 0;
  if (checkpoints && checkpoints->restored) {
    ByteReader r(*checkpoints->restored);
    r.tag(tag);
    r(done, trainer, stream);
    if (!r.done() || done < 0 || done >= steps) throw std::runtime_error("training checkpoint does not fit the run");
  }
  while (done < steps) {
    const long end = std::clamp(chunk_end(done), done + 1, steps);
    run_steps(end - done);
    done = end;
    after_chunk(done);
    if (checkpoints && done < steps && checkpoints->due && checkpoints->due()) {
      ByteWriter w;
      w.tag(tag);
      w(done, trainer, stream);
      checkpoints->save(std::move(w).bytes());
    }
  }
}

extern template class Adam<double>;
extern template class Adam<float>;
extern template class DsmTrainer<double>;
extern template class DsmTrainer<float>;

}  // namespace spindiff::diffusion
