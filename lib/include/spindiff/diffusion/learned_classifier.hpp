#pragma once
// A learned noise-conditional classifier p_t(c | x): the MLP of mlp.hpp with one logit per value of its target
// attribute, on the same features as the score network (c_in x and the noise embedding), trained by cross-entropy
// on noised data x_t = a x_0 + σ ε. It measures which class a (noisy or clean) point belongs to, and its gradient
// ∇_x log p_t(c | x) is the force of classifier guidance (Dhariwal & Nichol 2021).
#include <memory>
#include <vector>

#include "spindiff/diffusion/guidance.hpp"
#include "spindiff/diffusion/mlp.hpp"
#include "spindiff/diffusion/training.hpp"

namespace spindiff::diffusion {

class LearnedClassifier final : public NoisyClassifier {
 public:
  // Throws std::invalid_argument unless the weights are a classifier's (a target attribute).
  explicit LearnedClassifier(const MlpWeights& weights);
  int classes() const override { return net_.architecture().output_size(); }
  int dim() const override { return net_.dim(); }
  const Attribute& target() const { return net_.architecture().target; }
  void log_probabilities(const Points& x, const NoiseLevel& level, Eigen::MatrixXd& out) const override;
  void log_probability_gradient(const Points& x, const NoiseLevel& level, int c, Points& out) const override;
  // The most probable class of each point.
  std::vector<int> predict(const Points& x, const NoiseLevel& level) const;

 private:
  Mlp net_;
};

// Cross-entropy training of a classifier network on labelled points (labels: one class index per point) at noise
// levels drawn from config.noise; Adam and the learning-rate schedule as DsmTrainer. Deterministic in the stream.
class ClassifierTrainer {
 public:
  ClassifierTrainer(Mlp& net, const TrainingConfig& config);
  // One Adam step on a fresh minibatch; returns its mean cross-entropy.
  double step(const Points& data, const std::vector<int>& labels, Stream& stream);
  void train(const Points& data, const std::vector<int>& labels, Stream& stream, long steps);
  const std::vector<double>& loss_curve() const { return loss_curve_; }
  // The whole training state (a checkpoint saves it): the network's parameters, the optimiser and the losses.
  template <class Archive>
  void fields(Archive& ar) {
    parameter_fields(ar, net_);
    ar(adam_, loss_curve_);
  }

 private:
  Mlp& net_;
  TrainingConfig config_;
  Mlp::Workspace ws_;
  std::vector<int> batch_labels_;
  std::vector<double> xt_;
  AlignedVector<double> grad_;
  Adam<double> adam_;
  std::vector<double> loss_curve_;
};

}  // namespace spindiff::diffusion
