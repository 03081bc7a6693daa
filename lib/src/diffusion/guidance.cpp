#include "spindiff/diffusion/guidance.hpp"

#include <cmath>
#include <stdexcept>

namespace spindiff::diffusion {

void WrappedScore::log_density(const Points&, const NoiseLevel&, Eigen::VectorXd&) const {
  throw std::logic_error("this score has no tractable log-density (a MALA corrector needs one)");
}

ScoreSum::ScoreSum(std::vector<ScoreTerm> terms) : terms_(std::move(terms)) {
  if (terms_.empty()) throw std::invalid_argument("score sum: no terms");
  for (const ScoreTerm& t : terms_) {
    if (!t.model) throw std::invalid_argument("score sum: null model");
    if (t.model->dim() != terms_.front().model->dim())
      throw std::invalid_argument("score sum: models differ in dimension");
    if (t.condition.values.size() != t.model->attributes().size())
      throw std::invalid_argument("score sum: condition has the wrong number of attributes");
  }
}

void ScoreSum::score(const Points& x, const NoiseLevel& level, Points& out) const {
  Points s;
  for (std::size_t i = 0; i < terms_.size(); ++i) {
    const ScoreTerm& t = terms_[i];
    if (i == 0) {
      t.model->score(x, level, t.condition, out);
      if (t.weight != 1.0) out *= t.weight;
    } else {
      t.model->score(x, level, t.condition, s);
      out += t.weight * s;
    }
  }
  count(static_cast<long>(terms_.size()));
}

bool ScoreSum::has_log_density() const {
  for (const ScoreTerm& t : terms_)
    if (!t.model->has_log_density()) return false;
  return true;
}

void ScoreSum::log_density(const Points& x, const NoiseLevel& level, Eigen::VectorXd& out) const {
  out = Eigen::VectorXd::Zero(x.rows());
  Eigen::VectorXd l;
  for (const ScoreTerm& t : terms_) {
    t.model->log_density(x, level, t.condition, l);
    out += t.weight * l;
  }
}

ScoreSum conditioned(const ConditionalScoreModel& model, Condition condition) {
  return ScoreSum({{&model, std::move(condition), 1.0}});
}

ScoreSum compose(const ConditionalScoreModel& model, const std::vector<Condition>& conditions) {
  if (conditions.empty()) throw std::invalid_argument("compose: no conditions");
  std::vector<ScoreTerm> terms;
  for (const Condition& c : conditions) terms.push_back({&model, c, 1.0});
  if (conditions.size() > 1)
    terms.push_back(
        {&model, Condition::unconditional(model.attributes().size()), -static_cast<double>(conditions.size() - 1)});
  return ScoreSum(std::move(terms));
}

ClassifierFreeGuidance::ClassifierFreeGuidance(const ConditionalScoreModel& model, Condition condition, double w,
                                               GuidanceInterval interval)
    : model_(model),
      condition_(std::move(condition)),
      unconditional_(Condition::unconditional(model.attributes().size())),
      w_(w),
      interval_(interval) {
  if (condition_.values.size() != model.attributes().size())
    throw std::invalid_argument("guidance: condition has the wrong number of attributes");
  if (!std::isfinite(w)) throw std::invalid_argument("guidance: the weight must be finite");
}

void ClassifierFreeGuidance::score(const Points& x, const NoiseLevel& level, Points& out) const {
  model_.score(x, level, condition_, out);
  count(1);
  if (w_ == 0.0 || !interval_.contains(level.sigma)) return;
  Points unconditional(x.rows(), x.cols());  // per call: a score keeps no scratch between calls
  model_.score(x, level, unconditional_, unconditional);
  count(1);
  out = (1.0 + w_) * out - w_ * unconditional;
}

void ClassifierFreeGuidance::log_density(const Points& x, const NoiseLevel& level, Eigen::VectorXd& out) const {
  model_.log_density(x, level, condition_, out);
  if (w_ == 0.0 || !interval_.contains(level.sigma)) return;
  Eigen::VectorXd u;
  model_.log_density(x, level, unconditional_, u);
  out = (1.0 + w_) * out - w_ * u;
}

BayesClassifier::BayesClassifier(const ConditionalScoreModel& model, std::size_t attribute, Eigen::VectorXd priors)
    : model_(model), attribute_(attribute) {
  if (attribute >= model.attributes().size()) throw std::invalid_argument("Bayes classifier: no such attribute");
  if (priors.size() != static_cast<Eigen::Index>(model.attributes()[attribute].values.size()) ||
      !(priors.array() > 0).all())
    throw std::invalid_argument("Bayes classifier: one positive prior per class needed");
  if (!model.has_log_density()) throw std::invalid_argument("Bayes classifier: the model needs log-densities");
  log_priors_ = (priors / priors.sum()).array().log();
}

Condition BayesClassifier::condition_of(int c) const {
  Condition cond = Condition::unconditional(model_.attributes().size());
  cond.values[attribute_] = c;
  return cond;
}

void BayesClassifier::log_probabilities(const Points& x, const NoiseLevel& level, Eigen::MatrixXd& out) const {
  out.resize(x.rows(), classes());
  Eigen::VectorXd l;
  for (int c = 0; c < classes(); ++c) {
    model_.log_density(x, level, condition_of(c), l);
    out.col(c) = l.array() + log_priors_[c];
  }
  const Eigen::VectorXd m = out.rowwise().maxCoeff();
  const Eigen::VectorXd lse = m.array() + (out.colwise() - m).array().exp().rowwise().sum().log();
  out.colwise() -= lse;
}

void BayesClassifier::log_probability_gradient(const Points& x, const NoiseLevel& level, int c, Points& out) const {
  Points s;
  model_.score(x, level, condition_of(c), out);
  model_.score(x, level, Condition::unconditional(model_.attributes().size()), s);
  out -= s;
}

ClassifierGuidance::ClassifierGuidance(const ConditionalScoreModel& model, Condition base,
                                       const NoisyClassifier& classifier, int c, double scale,
                                       GuidanceInterval interval)
    : model_(model), base_(std::move(base)), classifier_(classifier), class_(c), scale_(scale), interval_(interval) {
  if (c < 0 || c >= classifier.classes()) throw std::invalid_argument("classifier guidance: class out of range");
  if (classifier.dim() != model.dim()) throw std::invalid_argument("classifier guidance: dimensions differ");
}

void ClassifierGuidance::score(const Points& x, const NoiseLevel& level, Points& out) const {
  model_.score(x, level, base_, out);
  count(1);
  if (scale_ == 0.0 || !interval_.contains(level.sigma)) return;
  Points force(x.rows(), x.cols());  // per call: a score keeps no scratch between calls
  classifier_.log_probability_gradient(x, level, class_, force);
  count(1);
  out += scale_ * force;
}

}  // namespace spindiff::diffusion
