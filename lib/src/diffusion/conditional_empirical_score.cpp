#include "spindiff/diffusion/conditional_empirical_score.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>

#include "spindiff/diffusion/softmax_retrieval.hpp"

namespace spindiff::diffusion {

ConditionalEmpiricalScore::ConditionalEmpiricalScore(Points training, Labels labels, std::vector<Attribute> attributes,
                                                     RetrievalBlocks blocks)
    : training_(std::move(training)), labels_(std::move(labels)), attributes_(std::move(attributes)), blocks_(blocks) {
  if (labels_.rows() != training_.rows() || labels_.cols() != static_cast<Eigen::Index>(attributes_.size()))
    throw std::invalid_argument("conditional empirical score: one label per point and attribute needed");
  for (Eigen::Index a = 0; a < labels_.cols(); ++a)
    for (Eigen::Index i = 0; i < labels_.rows(); ++i)
      if (labels_(i, a) < 0 ||
          labels_(i, a) >= static_cast<int>(attributes_[static_cast<std::size_t>(a)].values.size()))
        throw std::invalid_argument("conditional empirical score: label out of range for attribute '" +
                                    attributes_[static_cast<std::size_t>(a)].name + "'");
  const Condition all = Condition::unconditional(attributes_.size());
  cache_[all.values] = std::make_shared<const EmpiricalScore>(training_, blocks_);
  for (std::size_t a = 0; a < attributes_.size(); ++a)
    for (std::size_t v = 0; v < attributes_[a].values.size(); ++v) {
      Condition c = all;
      c.values[a] = static_cast<int>(v);
      bool any = false;
      for (Eigen::Index i = 0; i < labels_.rows() && !any; ++i) any = satisfies(labels_, i, c);
      if (any) cache_[c.values] = std::make_shared<const EmpiricalScore>(members(c), blocks_);
    }
}

Points ConditionalEmpiricalScore::members(const Condition& condition) const {
  if (condition.values.size() != attributes_.size())
    throw std::invalid_argument("conditional empirical score: condition has the wrong number of attributes");
  std::vector<Eigen::Index> rows;
  for (Eigen::Index i = 0; i < training_.rows(); ++i)
    if (satisfies(labels_, i, condition)) rows.push_back(i);
  if (rows.empty())
    throw std::invalid_argument("conditional empirical score: no training point has the condition '" +
                                format_condition(attributes_, condition) + "'");
  Points m(static_cast<Eigen::Index>(rows.size()), training_.cols());
  for (std::size_t k = 0; k < rows.size(); ++k) m.row(static_cast<Eigen::Index>(k)) = training_.row(rows[k]);
  return m;
}

std::shared_ptr<const EmpiricalScore> ConditionalEmpiricalScore::memory(const Condition& condition) const {
  if (const auto it = cache_.find(condition.values); it != cache_.end()) return it->second;
  return std::make_shared<const EmpiricalScore>(members(condition), blocks_);
}

void ConditionalEmpiricalScore::score(const Points& x, const NoiseLevel& level, const Condition& condition,
                                      Points& out) const {
  memory(condition)->score(x, level, out);
}

void ConditionalEmpiricalScore::log_density(const Points& x, const NoiseLevel& level, const Condition& condition,
                                            Eigen::VectorXd& out) const {
  if (!(level.sigma > 0)) throw std::invalid_argument("conditional empirical score: sigma must be positive");
  const auto mem = memory(condition);
  const Points& xi = mem->training();
  const double inv_var = 1.0 / (level.sigma * level.sigma), a = level.scale;
  const Eigen::VectorXd bias = (-0.5 * a * a * inv_var) * xi.rowwise().squaredNorm();
  Points retrieved;
  softmax_retrieval(x, xi, a * inv_var, bias, retrieved, &out, blocks_);
  const double d = static_cast<double>(x.cols());
  out.array() += -0.5 * inv_var * x.rowwise().squaredNorm().array() - std::log(static_cast<double>(xi.rows())) -
                 0.5 * d * std::log(2 * std::numbers::pi * level.sigma * level.sigma);
}

}  // namespace spindiff::diffusion
