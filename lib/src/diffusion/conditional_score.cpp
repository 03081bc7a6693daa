#include "spindiff/diffusion/conditional_score.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>
#include <string>

namespace spindiff::diffusion {

bool Condition::is_unconditional() const { return fixed() == 0; }

int Condition::fixed() const {
  return static_cast<int>(std::count_if(values.begin(), values.end(), [](int v) { return v != kAnyValue; }));
}

namespace {

int value_index(const Attribute& a, const std::string& value) {
  const auto it = std::find(a.values.begin(), a.values.end(), value);
  return it == a.values.end() ? kAnyValue : static_cast<int>(it - a.values.begin());
}

std::string vocabulary(const std::vector<Attribute>& attributes) {
  std::string s;
  for (const Attribute& a : attributes) {
    s += (s.empty() ? "" : "; ") + a.name + ":";
    for (const auto& v : a.values) s += " " + v;
  }
  return s;
}

}  // namespace

Condition parse_condition(const std::vector<Attribute>& attributes, const std::string& text) {
  Condition c = Condition::unconditional(attributes.size());
  if (text.empty() || text == "*") return c;
  std::stringstream in(text);
  std::string token;
  while (std::getline(in, token, ':')) {
    std::string name, value = token;
    if (const auto eq = token.find('='); eq != std::string::npos) {
      name = token.substr(0, eq);
      value = token.substr(eq + 1);
    }
    int found_attribute = -1, found_value = kAnyValue;
    for (std::size_t a = 0; a < attributes.size(); ++a) {
      if (!name.empty() && attributes[a].name != name) continue;
      const int v = value_index(attributes[a], value);
      if (v == kAnyValue) continue;
      if (found_attribute >= 0)
        throw std::invalid_argument("condition '" + text + "': value '" + value +
                                    "' belongs to several attributes; write attribute=value");
      found_attribute = static_cast<int>(a);
      found_value = v;
    }
    if (found_attribute < 0)
      throw std::invalid_argument("condition '" + text + "': unknown value '" + token +
                                  "' (known: " + vocabulary(attributes) + ")");
    if (c.values[found_attribute] != kAnyValue)
      throw std::invalid_argument("condition '" + text + "': attribute '" + attributes[found_attribute].name +
                                  "' given twice");
    c.values[found_attribute] = found_value;
  }
  return c;
}

std::string format_condition(const std::vector<Attribute>& attributes, const Condition& condition) {
  std::string s;
  for (std::size_t a = 0; a < attributes.size() && a < condition.values.size(); ++a)
    if (const int v = condition.values[a]; v != kAnyValue)
      s += (s.empty() ? "" : ":") + (v >= 0 && v < static_cast<int>(attributes[a].values.size())
                                         ? attributes[a].values[static_cast<std::size_t>(v)]
                                         : attributes[a].name + "=#" + std::to_string(v));
  return s;
}

bool satisfies(const Labels& labels, Eigen::Index i, const Condition& condition) {
  for (std::size_t a = 0; a < condition.values.size(); ++a)
    if (condition.values[a] != kAnyValue && labels(i, static_cast<Eigen::Index>(a)) != condition.values[a])
      return false;
  return true;
}

void ConditionalScoreModel::log_density(const Points&, const NoiseLevel&, const Condition&, Eigen::VectorXd&) const {
  throw std::logic_error("this conditional score model has no tractable log-density");
}

}  // namespace spindiff::diffusion
