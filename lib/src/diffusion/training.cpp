#include "spindiff/diffusion/training.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

namespace spindiff::diffusion {

NoiseDistribution NoiseDistribution::log_uniform(double sigma_min, double sigma_max) {
  NoiseDistribution d;
  d.kind = Kind::log_uniform_sigma;
  d.low = sigma_min;
  d.high = sigma_max;
  return d;
}

NoiseDistribution NoiseDistribution::process_times(double t_min, double t_max,
                                                   std::function<NoiseLevel(double)> level_at) {
  NoiseDistribution d;
  d.kind = Kind::uniform_time;
  d.low = t_min;
  d.high = t_max;
  d.level_at = std::move(level_at);
  return d;
}

NoiseDistribution NoiseDistribution::log_normal(double mean_log_sigma, double sd_log_sigma) {
  NoiseDistribution d;
  d.kind = Kind::log_normal_sigma;
  d.low = mean_log_sigma;
  d.high = sd_log_sigma;
  return d;
}

void NoiseDistribution::validate() const {
  if (kind == Kind::log_normal_sigma) {
    if (!(high >= 0.0)) throw std::invalid_argument("noise distribution: sd of ln sigma must be >= 0");
    return;
  }
  if (!(high >= low)) throw std::invalid_argument("noise distribution: need low <= high");
  if (kind == Kind::log_uniform_sigma && !(low > 0.0))
    throw std::invalid_argument("noise distribution: sigma_min must be > 0");
  if (kind == Kind::uniform_time && !level_at)
    throw std::invalid_argument("noise distribution: uniform_time needs level_at(t)");
}

NoiseLevel NoiseDistribution::sample(Stream& stream) const {
  if (kind == Kind::log_uniform_sigma) {
    const double log_sigma = std::log(low) + (std::log(high) - std::log(low)) * stream.uniform();
    const double sigma = std::exp(log_sigma);
    return NoiseLevel{sigma, 1.0, sigma};  // t = σ, the EDM convention
  }
  if (kind == Kind::log_normal_sigma) {
    const double log_sigma = low + high * stream.normal();
    const double sigma = std::exp(log_sigma);
    return NoiseLevel{sigma, 1.0, sigma};  // t = σ, the EDM convention
  }
  return level_at(stream.uniform(low, high));
}

void TrainingConfig::validate() const {
  if (batch < 1) throw std::invalid_argument("dsm training: batch must be >= 1");
  if (!(adam.learning_rate > 0.0)) throw std::invalid_argument("dsm training: learning rate must be > 0");
  if (schedule == LearningRateSchedule::cosine && schedule_steps < 1)
    throw std::invalid_argument("dsm training: the cosine schedule needs schedule_steps >= 1");
  if (!(label_dropout >= 0.0 && label_dropout <= 1.0))
    throw std::invalid_argument("dsm training: label_dropout must lie in [0, 1]");
  noise.validate();
}

template <class Scalar>
Adam<Scalar>::Adam(std::size_t size, const AdamConfig& config)
    : config_(config), m_(size, Scalar(0)), v_(size, Scalar(0)) {}

template <class Scalar>
void Adam<Scalar>::step(std::span<Scalar> params, std::span<const Scalar> grad) {
  using Array = Eigen::Array<Scalar, Eigen::Dynamic, 1>;
  ++t_;
  const double bc1 = 1.0 - std::pow(config_.beta1, static_cast<double>(t_));
  const double bc2 = 1.0 - std::pow(config_.beta2, static_cast<double>(t_));
  const auto b1 = static_cast<Scalar>(config_.beta1);
  const auto b2 = static_cast<Scalar>(config_.beta2);
  const auto step_size = static_cast<Scalar>(config_.learning_rate / bc1);
  const auto inv_sqrt_bc2 = static_cast<Scalar>(1.0 / std::sqrt(bc2));
  const auto eps = static_cast<Scalar>(config_.epsilon);
  const auto size = static_cast<Eigen::Index>(params.size());
  // Three passes per chunk that stays in L1 rather than three passes over the whole vector.
  constexpr Eigen::Index chunk = 1024;
  for (Eigen::Index start = 0; start < size; start += chunk) {
    const Eigen::Index n = std::min(chunk, size - start);
    Eigen::Map<Array> p(params.data() + start, n), m(m_.data() + start, n), v(v_.data() + start, n);
    Eigen::Map<const Array> g(grad.data() + start, n);
    m = b1 * m + (Scalar(1) - b1) * g;
    v = b2 * v + (Scalar(1) - b2) * g.square();
    p -= step_size * m / (v.sqrt() * inv_sqrt_bc2 + eps);
  }
}

template <class Scalar>
DsmTrainer<Scalar>::DsmTrainer(Net& net, const TrainingConfig& config)
    : net_(net),
      config_(config),
      ws_(net.make_workspace(config.batch)),
      targets_(net.dim(), config.batch),
      xt_(static_cast<std::size_t>(net.dim())),
      eps_(static_cast<std::size_t>(net.dim())),
      label_(net.architecture().attributes.size()),
      grad_(net.parameter_count()),
      adam_(net.parameter_count(), config.adam) {
  config_.validate();
}

template <class Scalar>
double DsmTrainer<Scalar>::loss_and_gradient(const Net& net, typename Net::Workspace& ws,
                                             const typename Net::Matrix& targets, int n, std::span<Scalar> grad) {
  net.forward(ws, n);
  auto residual = ws.grad_output.leftCols(n);
  residual = ws.output.leftCols(n) - targets.leftCols(n);
  const double loss = static_cast<double>(residual.squaredNorm()) / n;
  residual *= static_cast<Scalar>(2.0 / n);
  net.backward(ws, n, grad);
  return loss;
}

template <class Scalar>
double DsmTrainer<Scalar>::step(const Points& data, const Labels* labels, Stream& stream) {
  const int batch = config_.batch;
  const int d = net_.dim();
  if (data.cols() != d || data.rows() < 1) throw std::invalid_argument("dsm training: data has the wrong shape");
  const auto attributes = static_cast<Eigen::Index>(label_.size());
  if (attributes > 0 && (!labels || labels->rows() != data.rows() || labels->cols() != attributes))
    throw std::invalid_argument("dsm training: a conditional network needs one label per point and attribute");
  const auto n_data = static_cast<std::uint32_t>(data.rows());
  for (int j = 0; j < batch; ++j) {
    const std::uint32_t row = stream.below(n_data);
    const double* x0 = &data(row, 0);
    const NoiseLevel level = config_.noise.sample(stream);
    for (int i = 0; i < d; ++i) {
      const double eps = stream.normal();
      eps_[static_cast<std::size_t>(i)] = eps;
      xt_[static_cast<std::size_t>(i)] = level.scale * x0[i] + level.sigma * eps;
    }
    net_.write_features(xt_.data(), level.scale, level.sigma, &ws_.act[0](0, j));
    if (attributes > 0) {
      for (Eigen::Index a = 0; a < attributes; ++a)
        label_[static_cast<std::size_t>(a)] = stream.uniform() < config_.label_dropout ? kAnyValue : (*labels)(row, a);
      net_.write_labels(label_.data(), &ws_.act[0](0, j));
    }
    net_.write_target(x0, xt_.data(), eps_.data(), level.scale, level.sigma, &targets_(0, j));
  }
  const double loss = loss_and_gradient(net_, ws_, targets_, batch, grad_);
  if (config_.schedule == LearningRateSchedule::cosine) {
    constexpr double pi = 3.14159265358979323846;
    const double k = std::min(static_cast<double>(adam_.steps()), static_cast<double>(config_.schedule_steps));
    adam_.set_learning_rate(config_.adam.learning_rate * 0.5 * (1.0 + std::cos(pi * k / config_.schedule_steps)));
  }
  adam_.step(net_.parameters(), grad_);
  return loss;
}

template <class Scalar>
void DsmTrainer<Scalar>::train(const Points& data, const Labels* labels, Stream& stream, long steps) {
  loss_curve_.reserve(loss_curve_.size() + static_cast<std::size_t>(steps));
  for (long k = 0; k < steps; ++k) loss_curve_.push_back(step(data, labels, stream));
}

template class Adam<double>;
template class Adam<float>;
template class DsmTrainer<double>;
template class DsmTrainer<float>;

}  // namespace spindiff::diffusion
