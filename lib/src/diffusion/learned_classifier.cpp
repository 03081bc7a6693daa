#include "spindiff/diffusion/learned_classifier.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace spindiff::diffusion {
namespace {

Mlp build(const MlpWeights& weights) {
  if (!weights.architecture.is_classifier())
    throw std::invalid_argument("learned classifier: the weights are a score network's, not a classifier's");
  Mlp net(weights.architecture);
  net.set_weights(weights);
  return net;
}

double input_scale(const MlpArchitecture& arch, const NoiseLevel& level) {
  return 1.0 / std::sqrt(level.scale * level.scale * arch.data_std * arch.data_std + level.sigma * level.sigma);
}

// Row-wise log-softmax in place.
void log_softmax(Eigen::Ref<Eigen::MatrixXd> logits) {
  for (Eigen::Index i = 0; i < logits.rows(); ++i) {
    const double top = logits.row(i).maxCoeff();
    const double log_z = top + std::log((logits.row(i).array() - top).exp().sum());
    logits.row(i).array() -= log_z;
  }
}

}  // namespace

LearnedClassifier::LearnedClassifier(const MlpWeights& weights) : net_(build(weights)) {}

// Trained at unit scale (a = 1): x_t = a x_0 + σ ε is x_t / a = x_0 + (σ/a) ε, so p_t(c | x) = p^{a=1}_{σ/a}(c | x/a).
void LearnedClassifier::log_probabilities(const Points& x, const NoiseLevel& level, Eigen::MatrixXd& out) const {
  Points logits;
  if (level.scale != 1.0)
    net_.output(x / level.scale, NoiseLevel{level.t, 1.0, level.sigma / level.scale}, logits);
  else
    net_.output(x, level, logits);
  out = logits;
  log_softmax(out);
}

std::vector<int> LearnedClassifier::predict(const Points& x, const NoiseLevel& level) const {
  Eigen::MatrixXd logp;
  log_probabilities(x, level, logp);
  std::vector<int> classes(static_cast<std::size_t>(x.rows()));
  for (Eigen::Index i = 0; i < x.rows(); ++i) logp.row(i).maxCoeff(&classes[static_cast<std::size_t>(i)]);
  return classes;
}

void LearnedClassifier::log_probability_gradient(const Points& x, const NoiseLevel& level, int c, Points& out) const {
  if (c < 0 || c >= classes()) throw std::invalid_argument("learned classifier: class out of range");
  if (level.scale != 1.0) {  // unit scale, as log_probabilities; the chain rule gives 1/a
    log_probability_gradient(x / level.scale, NoiseLevel{level.t, 1.0, level.sigma / level.scale}, c, out);
    out /= level.scale;
    return;
  }
  const MlpArchitecture& arch = net_.architecture();
  const int d = arch.dim, k = classes();
  const auto n = static_cast<int>(x.rows());
  out.resize(x.rows(), d);
  constexpr int chunk = 256;
  Mlp::Workspace ws = net_.make_workspace(std::min(std::max(n, 1), chunk));
  Mlp::Matrix grad_input;
  const double c_in = input_scale(arch, level);
  std::vector<double> column(static_cast<std::size_t>(arch.input_size()));
  for (int start = 0; start < n; start += chunk) {
    const int m = std::min(chunk, n - start);
    for (int j = 0; j < m; ++j) net_.write_features(&x(start + j, 0), level.scale, level.sigma, &ws.act[0](0, j));
    net_.forward(ws, m);
    // ∂ log p_c / ∂ logits = onehot(c) − softmax.
    for (int j = 0; j < m; ++j) {
      auto logits = ws.output.col(j).head(k);
      const double top = logits.maxCoeff();
      const Eigen::VectorXd p = (logits.array() - top).exp();
      ws.grad_output.col(j).head(k) = -p / p.sum();
      ws.grad_output(c, j) += 1.0;
    }
    net_.input_gradient(ws, m, grad_input);
    // The features hold c_in x: the chain rule gives c_in times the gradient on those rows.
    for (int j = 0; j < m; ++j)
      for (int i = 0; i < d; ++i) out(start + j, i) = c_in * grad_input(i, j);
  }
}

ClassifierTrainer::ClassifierTrainer(Mlp& net, const TrainingConfig& config)
    : net_(net),
      config_(config),
      ws_(net.make_workspace(config.batch)),
      batch_labels_(static_cast<std::size_t>(config.batch)),
      xt_(static_cast<std::size_t>(net.dim())),
      grad_(net.parameter_count()),
      adam_(net.parameter_count(), config.adam) {
  config_.validate();
  if (!net.architecture().is_classifier()) throw std::invalid_argument("classifier training: not a classifier");
  if (!net.architecture().attributes.empty())
    throw std::invalid_argument("classifier training: a classifier takes no label inputs");
}

double ClassifierTrainer::step(const Points& data, const std::vector<int>& labels, Stream& stream) {
  const int batch = config_.batch, d = net_.dim(), k = net_.architecture().output_size();
  if (data.cols() != d || data.rows() < 1 || static_cast<Eigen::Index>(labels.size()) != data.rows())
    throw std::invalid_argument("classifier training: data and labels have the wrong shape");
  const auto n_data = static_cast<std::uint32_t>(data.rows());
  for (int j = 0; j < batch; ++j) {
    const std::uint32_t row = stream.below(n_data);
    const NoiseLevel level = config_.noise.sample(stream);
    for (int i = 0; i < d; ++i)
      xt_[static_cast<std::size_t>(i)] = level.scale * data(row, i) + level.sigma * stream.normal();
    net_.write_features(xt_.data(), level.scale, level.sigma, &ws_.act[0](0, j));
    const int label = labels[row];
    if (label < 0 || label >= k) throw std::invalid_argument("classifier training: label out of range");
    batch_labels_[static_cast<std::size_t>(j)] = label;
  }
  net_.forward(ws_, batch);
  double loss = 0.0;
  for (int j = 0; j < batch; ++j) {
    auto logits = ws_.output.col(j).head(k);
    const double top = logits.maxCoeff();
    const Eigen::VectorXd p = (logits.array() - top).exp();
    const double z = p.sum();
    const int label = batch_labels_[static_cast<std::size_t>(j)];
    loss += std::log(z) + top - logits(label);
    ws_.grad_output.col(j).head(k) = p / (z * batch);  // ∂(mean cross-entropy)/∂logits = (softmax − onehot)/B
    ws_.grad_output(label, j) -= 1.0 / batch;
  }
  net_.backward(ws_, batch, grad_);
  if (config_.schedule == LearningRateSchedule::cosine) {
    constexpr double pi = 3.14159265358979323846;
    const double s = std::min(static_cast<double>(adam_.steps()), static_cast<double>(config_.schedule_steps));
    adam_.set_learning_rate(config_.adam.learning_rate * 0.5 * (1.0 + std::cos(pi * s / config_.schedule_steps)));
  }
  adam_.step(net_.parameters(), grad_);
  return loss / batch;
}

void ClassifierTrainer::train(const Points& data, const std::vector<int>& labels, Stream& stream, long steps) {
  loss_curve_.reserve(loss_curve_.size() + static_cast<std::size_t>(steps));
  for (long s = 0; s < steps; ++s) loss_curve_.push_back(step(data, labels, stream));
}

}  // namespace spindiff::diffusion
