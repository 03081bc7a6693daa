// spindiff.diffusion's conditional scores: the exact score of a labelled Gaussian mixture and the empirical score
// of labelled training points, conditioned on a class, guided (classifier-free or by the exact Bayes classifier)
// or composed. Each result is a Score, so every sampler runs it.
#include <fmt/format.h>
#include <pybind11/stl.h>

#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "numpy_arrays.hpp"
#include "spindiff/diffusion/conditional_empirical_score.hpp"
#include "spindiff/diffusion/conditional_mixture.hpp"
#include "spindiff/diffusion/guidance.hpp"

namespace spindiff::python {

namespace {

namespace dd = spindiff::diffusion;
using ScorePtr = std::shared_ptr<dd::ScoreModel>;
using ConditionalPtr = std::shared_ptr<dd::ConditionalScoreModel>;

// A wrapper score that keeps the conditional model (and classifier) it refers to alive.
template <class Wrapper>
class Owning final : public dd::ScoreModel {
 public:
  Owning(ConditionalPtr model, std::shared_ptr<const dd::NoisyClassifier> classifier, std::unique_ptr<Wrapper> w)
      : model_(std::move(model)), classifier_(std::move(classifier)), wrapper_(std::move(w)) {}
  void score(const dd::Points& x, const dd::NoiseLevel& level, dd::Points& out) const override {
    wrapper_->score(x, level, out);
  }
  int dim() const override { return wrapper_->dim(); }

 private:
  ConditionalPtr model_;
  std::shared_ptr<const dd::NoisyClassifier> classifier_;
  std::unique_ptr<Wrapper> wrapper_;
};

dd::Condition condition_of(const dd::ConditionalScoreModel& model, const std::string& text) {
  try {
    return dd::parse_condition(model.attributes(), text);
  } catch (const std::invalid_argument& e) {
    throw py::value_error(std::string("condition: ") + e.what());
  }
}

dd::GuidanceInterval interval_of(double sigma_low, double sigma_high) {
  if (!(sigma_low >= 0) || !(sigma_high >= sigma_low))
    throw py::value_error("guidance_interval: needs 0 <= sigma_low <= sigma_high");
  return {sigma_low, sigma_high};
}

std::vector<std::string> class_names(const std::optional<std::vector<std::string>>& names, int classes) {
  if (names) {
    if (static_cast<int>(names->size()) != classes)
      throw py::value_error(fmt::format("names: {} given for {} classes", names->size(), classes));
    return *names;
  }
  std::vector<std::string> out;
  for (int c = 0; c < classes; ++c) out.push_back(std::to_string(c));
  return out;
}

ConditionalPtr labelled_mixture(const std::vector<double>& w, const py::object& means, const std::vector<double>& s,
                                const std::optional<std::vector<int>>& labels,
                                const std::optional<std::vector<std::string>>& names) {
  const auto m = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(means);
  if (!m) throw py::type_error("means must be a (K, d) array of numbers");
  const dd::Points mu = points_copy(m, "means");
  if (w.size() != static_cast<std::size_t>(mu.rows()) || s.size() != w.size())
    throw py::value_error(fmt::format("weights ({}), means ({} rows) and stds ({}) must have one entry per component",
                                      w.size(), mu.rows(), s.size()));
  dd::LabelledMixture lm;
  lm.mixture = dd::isotropic_mixture(w, mu, s);
  if (labels) {
    if (labels->size() != w.size())
      throw py::value_error(fmt::format("labels: {} given for {} components", labels->size(), w.size()));
    lm.labels = *labels;
  } else {
    for (int k = 0; k < static_cast<int>(w.size()); ++k) lm.labels.push_back(k);
  }
  int classes = 0;
  for (int l : lm.labels) classes = std::max(classes, l + 1);
  lm.names = class_names(names, classes);
  try {
    lm.validate();
    return std::make_shared<dd::ConditionalMixtureScore>(std::move(lm));
  } catch (const std::invalid_argument& e) {
    throw py::value_error(std::string("labels: ") + e.what());
  }
}

ConditionalPtr labelled_training(const py::array& training, const py::array& labels_in,
                                 const std::optional<std::vector<std::string>>& names) {
  const dd::Points x = points_copy(training, "training");
  const auto l = py::array_t<long long, py::array::c_style | py::array::forcecast>::ensure(labels_in);
  if (!l || l.ndim() != 1 || l.shape(0) != x.rows())
    throw py::value_error(fmt::format("labels must be integers of shape ({},)", x.rows()));
  dd::Labels labels(x.rows(), 1);
  int classes = 0;
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    const long long v = l.at(i);
    if (v < 0) throw py::value_error("labels: must be class indices 0, 1, ...");
    labels(i, 0) = static_cast<int>(v);
    classes = std::max(classes, static_cast<int>(v) + 1);
  }
  std::vector<dd::Attribute> attributes = {{"class", class_names(names, classes)}};
  try {
    return std::make_shared<dd::ConditionalEmpiricalScore>(x, std::move(labels), std::move(attributes));
  } catch (const std::invalid_argument& e) {
    throw py::value_error(std::string("labels: ") + e.what());
  }
}

}  // namespace

void bind_conditional(py::module_& m) {
  py::module_ d = m.attr("diffusion");
  py::class_<dd::ConditionalScoreModel, ConditionalPtr>(d, "ConditionalScore")
      .def_property_readonly("dim", &dd::ConditionalScoreModel::dim)
      .def_property_readonly("classes",
                             [](const dd::ConditionalScoreModel& s) { return s.attributes().front().values; })
      .def(
          "conditioned",
          [](const ConditionalPtr& s, const std::string& condition) -> ScorePtr {
            auto w = std::make_unique<dd::ScoreSum>(dd::conditioned(*s, condition_of(*s, condition)).terms());
            return std::make_shared<Owning<dd::ScoreSum>>(s, nullptr, std::move(w));
          },
          py::arg("condition"), "the score of p_t(x | condition) (\"\" or \"*\": unconditional)")
      .def(
          "guided",
          [](const ConditionalPtr& s, const std::string& condition, double w, double sigma_low,
             double sigma_high) -> ScorePtr {
            if (!std::isfinite(w)) throw py::value_error("guidance: must be finite");
            auto g = std::make_unique<dd::ClassifierFreeGuidance>(*s, condition_of(*s, condition), w,
                                                                  interval_of(sigma_low, sigma_high));
            return std::make_shared<Owning<dd::ClassifierFreeGuidance>>(s, nullptr, std::move(g));
          },
          py::arg("condition"), py::arg("guidance"), py::arg("sigma_low") = 0.0,
          py::arg("sigma_high") = std::numeric_limits<double>::infinity(),
          "classifier-free guidance (1 + w) s(x | c) - w s(x) for sigma in [sigma_low, sigma_high]")
      .def(
          "classifier_guided",
          [](const ConditionalPtr& s, const std::string& condition, double scale, double sigma_low,
             double sigma_high) -> ScorePtr {
            if (!std::isfinite(scale)) throw py::value_error("classifier_scale: must be finite");
            if (!s->has_log_density()) throw py::value_error("classifier guidance needs a model with densities");
            const dd::Condition c = condition_of(*s, condition);
            if (c.fixed() != 1 || s->attributes().size() != 1)
              throw py::value_error("condition: name exactly one class");
            const auto classes = static_cast<Eigen::Index>(s->attributes().front().values.size());
            auto classifier =
                std::make_shared<dd::BayesClassifier>(*s, 0, Eigen::VectorXd::Constant(classes, 1.0 / classes));
            auto g = std::make_unique<dd::ClassifierGuidance>(*s, dd::Condition::unconditional(1), *classifier,
                                                              c.values[0], scale, interval_of(sigma_low, sigma_high));
            return std::make_shared<Owning<dd::ClassifierGuidance>>(s, classifier, std::move(g));
          },
          py::arg("condition"), py::arg("classifier_scale"), py::arg("sigma_low") = 0.0,
          py::arg("sigma_high") = std::numeric_limits<double>::infinity(),
          "s(x) + scale grad log p_t(c | x) with the exact Bayes classifier (equal class priors)")
      .def(
          "composed",
          [](const ConditionalPtr& s, const std::vector<std::string>& conditions) -> ScorePtr {
            if (conditions.empty()) throw py::value_error("conditions: give at least one");
            std::vector<dd::Condition> cs;
            for (const auto& c : conditions) cs.push_back(condition_of(*s, c));
            auto w = std::make_unique<dd::ScoreSum>(dd::compose(*s, cs).terms());
            return std::make_shared<Owning<dd::ScoreSum>>(s, nullptr, std::move(w));
          },
          py::arg("conditions"), "the product of experts sum_i s(x | c_i) - (n - 1) s(x)");

  d.def("conditional_mixture_score", &labelled_mixture, py::arg("weights"), py::arg("means"), py::arg("stds"),
        py::arg("labels") = py::none(), py::arg("names") = py::none());
  d.def("conditional_empirical_score", &labelled_training, py::arg("training"), py::arg("labels"),
        py::arg("names") = py::none());
}

}  // namespace spindiff::python
