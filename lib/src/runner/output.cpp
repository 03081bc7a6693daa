#include "spindiff/runner/output.hpp"

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
