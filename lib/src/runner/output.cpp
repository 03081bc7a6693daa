#include "spindiff/runner/output.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "spindiff/stats/mean_error.hpp"

namespace spindiff::runner {

namespace {
template <class T>
Array make_array(std::vector<T> data, std::vector<std::size_t> shape) {
  Array a;
  a.shape = shape.empty() ? std::vector<std::size_t>{data.size()} : std::move(shape);
  a.data = std::move(data);
  return a;
}
}  // namespace

void TaskOutput::scalar(const std::string& name, double value) { columns_.emplace_back(name, value); }

void TaskOutput::scalar(const std::string& name, double value, double err) {
  columns_.emplace_back(name, value);
  columns_.emplace_back(name + "_err", err);
}

void TaskOutput::sample(const std::string& name, double value) { add_sample(name, value, std::nullopt); }

void TaskOutput::sample(const std::string& name, double value, double error) { add_sample(name, value, error); }

void TaskOutput::no_sample(const std::string& name) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  const auto s = std::find_if(series_.begin(), series_.end(), [&](const Series& x) { return x.name == name; });
  // A missing value takes the shape of the series (with or without errors); a first one has none.
  add_sample(name, nan, s != series_.end() && s->errors ? std::optional<double>(nan) : std::nullopt, false);
}

void TaskOutput::add_sample(const std::string& name, double value, std::optional<double> error, bool present) {
  auto s = std::find_if(series_.begin(), series_.end(), [&](const Series& x) { return x.name == name; });
  if (s == series_.end()) {
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    Series fresh{name, columns_.size(), arrays_.size(), std::nullopt, {}};
    columns_.emplace_back(name, nan);
    columns_.emplace_back(name + "_err", nan);
    array("repeats/" + name, std::vector<double>{}).doc("one value per repeat, in repeat order");
    if (error) {
      fresh.errors = arrays_.size();
      array("repeats/" + name + "_err", std::vector<double>{}).doc("each repeat's own error estimate");
    }
    s = series_.insert(series_.end(), std::move(fresh));
  } else if (!s->errors && error && std::none_of(s->present.begin(), s->present.end(), [](bool b) { return b; })) {
    // Only missing repeats so far: they carried no error shape yet.
    s->errors = arrays_.size();
    array("repeats/" + name + "_err", std::vector<double>(s->present.size(), std::numeric_limits<double>::quiet_NaN()))
        .doc("each repeat's own error estimate");
  } else if (s->errors.has_value() != error.has_value()) {
    throw std::logic_error("TaskOutput::sample: '" + name + "' is reported with an error in some repeats only");
  }
  auto& values = std::get<std::vector<double>>(arrays_[s->values].second.data);
  values.push_back(value);
  arrays_[s->values].second.shape = {values.size()};
  if (s->errors) {
    auto& errors = std::get<std::vector<double>>(arrays_[*s->errors].second.data);
    errors.push_back(*error);
    arrays_[*s->errors].second.shape = {errors.size()};
  }
  s->present.push_back(present);
  // Recomputed from all values so far, so the columns are final after any repeat.
  std::vector<double> kept;
  for (std::size_t i = 0; i < values.size(); ++i)
    if (s->present[i]) kept.push_back(values[i]);
  const stats::MeanError m = stats::mean_error(kept);
  double single_error = std::numeric_limits<double>::quiet_NaN();
  if (s->errors && m.count == 1) {
    const auto& errors = std::get<std::vector<double>>(arrays_[*s->errors].second.data);
    for (std::size_t i = 0; i < values.size(); ++i)
      if (s->present[i]) single_error = errors[i];
  }
  columns_[s->column].second = m.mean;
  columns_[s->column + 1].second = m.count > 1 ? m.error : single_error;
}

void TaskOutput::label(const std::string& name, std::string value) { columns_.emplace_back(name, std::move(value)); }

Array& TaskOutput::array(const std::string& name, std::vector<double> data, std::vector<std::size_t> shape) {
  return arrays_.emplace_back(name, make_array(std::move(data), std::move(shape))).second;
}
Array& TaskOutput::array(const std::string& name, std::vector<std::int64_t> data, std::vector<std::size_t> shape) {
  return arrays_.emplace_back(name, make_array(std::move(data), std::move(shape))).second;
}
Array& TaskOutput::array(const std::string& name, std::vector<std::int8_t> data, std::vector<std::size_t> shape) {
  return arrays_.emplace_back(name, make_array(std::move(data), std::move(shape))).second;
}
Array& TaskOutput::array(const std::string& name, std::vector<std::string> data) {
  return arrays_.emplace_back(name, make_array(std::move(data), {})).second;
}

void TaskOutput::attribute(const std::string& name, Value v) { attributes_.emplace_back(name, std::move(v)); }

void TaskOutput::warning(std::string text) {
  warnings_.push_back(text);
  std::string all;
  for (const auto& w : warnings_) all += (all.empty() ? "" : "; ") + w;
  for (auto& [name, value] : attributes_)
    if (name == "warnings") {
      value = all;
      return;
    }
  attributes_.emplace_back("warnings", Value(all));
}

}  // namespace spindiff::runner
