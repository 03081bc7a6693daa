#include "spindiff/runner/params.hpp"

#include <fmt/format.h>

namespace spindiff::runner {

namespace {
ParamSpec make(std::string name, ParamType type, Value def, std::string doc) {
  ParamSpec s;
  s.name = std::move(name);
  s.type = type;
  s.default_value = std::move(def);
  s.doc = std::move(doc);
  return s;
}

[[noreturn]] void wrong_type(const std::string& name, const char* wanted) {
  throw std::logic_error(fmt::format("parameter '{}' read as {} but declared otherwise", name, wanted));
}
}  // namespace

ParamSpec integer_param(std::string name, std::int64_t def, std::optional<double> min, std::optional<double> max,
                        std::string doc) {
  ParamSpec s = make(std::move(name), ParamType::integer, def, std::move(doc));
  s.min = min;
  s.max = max;
  return s;
}

ParamSpec real_param(std::string name, double def, std::optional<double> min, std::optional<double> max,
                     std::string doc) {
  ParamSpec s = make(std::move(name), ParamType::real, def, std::move(doc));
  s.min = min;
  s.max = max;
  return s;
}

ParamSpec choice_param(std::string name, std::string def, std::vector<std::string> choices, std::string doc) {
  ParamSpec s = make(std::move(name), ParamType::string, std::move(def), std::move(doc));
  s.choices = std::move(choices);
  return s;
}

ParamSpec string_param(std::string name, std::string def, std::string doc) {
  return make(std::move(name), ParamType::string, std::move(def), std::move(doc));
}

ParamSpec bool_param(std::string name, bool def, std::string doc) {
  return make(std::move(name), ParamType::boolean, def, std::move(doc));
}

ParamSpec real_list_param(std::string name, std::vector<double> def, std::optional<double> min,
                          std::optional<double> max, std::string doc) {
  ParamSpec s = make(std::move(name), ParamType::real_list, std::move(def), std::move(doc));
  s.min = min;
  s.max = max;
  return s;
}

ParamSpec string_list_param(std::string name, std::vector<std::string> def, std::string doc) {
  return make(std::move(name), ParamType::string_list, fmt::format("{}", fmt::join(def, ",")), std::move(doc));
}

ParamSpec file_param(std::string name, std::string def, std::string doc) {
  ParamSpec s = make(std::move(name), ParamType::file, def, std::move(doc));
  s.required = def.empty();
  return s;
}

ParamSpec optional_file_param(std::string name, std::string doc) {
  return make(std::move(name), ParamType::file, std::string(), std::move(doc));
}

ParamSpec summary(ParamSpec spec) {
  spec.in_summary = true;
  return spec;
}

ParamSpec unkeyed_at_default(ParamSpec spec) {
  spec.keyed_at_default = false;
  return spec;
}

ParamSpec infinite_allowed(ParamSpec spec) {
  spec.may_be_infinite = true;
  return spec;
}

std::string type_name(ParamType type) {
  switch (type) {
    case ParamType::integer:
      return "integer";
    case ParamType::real:
      return "float";
    case ParamType::string:
      return "string";
    case ParamType::boolean:
      return "boolean";
    case ParamType::real_list:
      return "list of floats";
    case ParamType::file:
      return "file path";
    case ParamType::string_list:
      return "list of strings";
  }
  return "?";
}

std::string format_value(const Value& v) {
  struct Visitor {
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(std::int64_t i) const { return fmt::format("{}", i); }
    std::string operator()(double d) const { return fmt::format("{}", d); }
    std::string operator()(const std::string& s) const { return fmt::format("\"{}\"", s); }
    std::string operator()(const std::vector<double>& v) const { return fmt::format("[{}]", fmt::join(v, ", ")); }
  };
  return std::visit(Visitor{}, v);
}

ConfigError::ConfigError(std::string file, std::string key, std::string message)
    : std::runtime_error(file.empty() ? fmt::format("key '{}': {}", key, message)
                                      : fmt::format("{}: key '{}': {}", file, key, message)),
      file_(std::move(file)),
      key_(std::move(key)),
      message_(std::move(message)) {}

const Value& Params::value(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) throw std::logic_error(fmt::format("parameter '{}' is not declared", name));
  return it->second;
}

std::int64_t Params::integer(const std::string& name) const {
  const Value& v = value(name);
  if (auto* i = std::get_if<std::int64_t>(&v)) return *i;
  wrong_type(name, "integer");
}

double Params::real(const std::string& name) const {
  const Value& v = value(name);
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  wrong_type(name, "float");
}

const std::string& Params::string(const std::string& name) const {
  const Value& v = value(name);
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  wrong_type(name, "string");
}

std::vector<std::string> Params::strings(const std::string& name) const {
  const std::string& joined = string(name);
  std::vector<std::string> items;
  if (joined.empty()) return items;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = joined.find(',', start);
    items.push_back(joined.substr(start, comma - start));
    if (comma == std::string::npos) return items;
    start = comma + 1;
  }
}

bool Params::flag(const std::string& name) const {
  const Value& v = value(name);
  if (auto* b = std::get_if<bool>(&v)) return *b;
  wrong_type(name, "boolean");
}

const std::vector<double>& Params::reals(const std::string& name) const {
  const Value& v = value(name);
  if (auto* l = std::get_if<std::vector<double>>(&v)) return *l;
  wrong_type(name, "list of floats");
}

Params Params::with(const std::string& name, Value v) const {
  Params copy = *this;
  copy.values_[name] = std::move(v);
  return copy;
}

}  // namespace spindiff::runner
