#pragma once
// Parameter declarations: each experiment kind declares its parameters once; `describe`, validation,
// the docs and the HDF5 attributes all come from that declaration.
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace spindiff::runner {

enum class ParamType { integer, real, string, boolean, real_list, file, string_list };

// A parameter value. `file` parameters hold their (config-relative, resolved) path as a string; `string_list`
// parameters their items joined by ',' (an item holds no comma; the empty string is the empty list).
using Value = std::variant<bool, std::int64_t, double, std::string, std::vector<double>>;

struct ParamSpec {
  std::string name;  // TOML path; dots make structured parameters (e.g. "mixture.weights")
  ParamType type = ParamType::real;
  Value default_value;
  std::optional<double> min;  // inclusive bounds for numbers and list elements
  std::optional<double> max;
  bool may_be_infinite = false;      // floats: whether inf is a meaningful value (nan never is)
  std::vector<std::string> choices;  // allowed strings (empty = any)
  std::string doc;                   // one line
  bool in_summary = false;           // always a /summary column, swept or not
  bool required = false;             // no default: must be given (file parameters, mostly)
  bool keyed_at_default = true;      // false: left out of the parameter point (stream key) at its default
};

// Builders that keep declarations one line each.
ParamSpec integer_param(std::string name, std::int64_t def, std::optional<double> min, std::optional<double> max,
                        std::string doc);
ParamSpec real_param(std::string name, double def, std::optional<double> min, std::optional<double> max,
                     std::string doc);
ParamSpec choice_param(std::string name, std::string def, std::vector<std::string> choices, std::string doc);
ParamSpec string_param(std::string name, std::string def, std::string doc);
ParamSpec bool_param(std::string name, bool def, std::string doc);
ParamSpec real_list_param(std::string name, std::vector<double> def, std::optional<double> min,
                          std::optional<double> max, std::string doc);
// A list of names (TOML ["a", "b"]); Params::strings gives the items.
ParamSpec string_list_param(std::string name, std::vector<std::string> def, std::string doc);
// A path to an input file, relative to the config file's folder; checked to exist. Empty default = required.
ParamSpec file_param(std::string name, std::string def, std::string doc);
// The same, but may be left empty (needed only in some modes; the kind's validate says when).
ParamSpec optional_file_param(std::string name, std::string doc);
// Marks a declaration as an always-present /summary column.
ParamSpec summary(ParamSpec spec);
// Declares a parameter added to a kind after it has been run: at its default it is left out of the task's parameter
// point (runner/point.hpp), so the random streams, and hence the datasets, of configurations that do not set it stay
// what they were before it existed. Set to any other value it names the point like every parameter.
ParamSpec unkeyed_at_default(ParamSpec spec);
// Declares that a float parameter (or list) accepts +-inf (within its bounds); floats are finite otherwise.
ParamSpec infinite_allowed(ParamSpec spec);

std::string type_name(ParamType type);
std::string format_value(const Value& v);

// A bad configuration: names the file, the key and what is allowed. The CLI exits 2 on it.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string file, std::string key, std::string message);
  const std::string& file() const { return file_; }
  const std::string& key() const { return key_; }
  const std::string& message() const { return message_; }

 private:
  std::string file_, key_, message_;
};

// The resolved parameters of one task (every declared parameter has a value).
class Params {
 public:
  Params() = default;
  Params(std::vector<ParamSpec> const* specs, std::map<std::string, Value> values)
      : specs_(specs), values_(std::move(values)) {}

  std::int64_t integer(const std::string& name) const;
  double real(const std::string& name) const;                // also accepts integer parameters
  const std::string& string(const std::string& name) const;  // string, choice and file parameters
  bool flag(const std::string& name) const;
  const std::vector<double>& reals(const std::string& name) const;
  std::vector<std::string> strings(const std::string& name) const;  // string_list parameters
  const Value& value(const std::string& name) const;
  bool has(const std::string& name) const { return values_.count(name) != 0; }
  const std::map<std::string, Value>& values() const { return values_; }
  const std::vector<ParamSpec>& specs() const { return *specs_; }

  // Same parameters with some replaced (used by kinds that derive sub-runs).
  Params with(const std::string& name, Value v) const;

 private:
  std::vector<ParamSpec> const* specs_ = nullptr;
  std::map<std::string, Value> values_;
};

}  // namespace spindiff::runner
