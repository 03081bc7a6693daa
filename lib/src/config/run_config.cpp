#include "spindiff/config/run_config.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

#include "overrides.hpp"
#include "spindiff/io/content_digest.hpp"
#include "spindiff/io/sha256.hpp"
#include "spindiff/runner/kind.hpp"
#include "spindiff/runner/point.hpp"

namespace spindiff::config {

using runner::ConfigError;
using runner::ParamSpec;
using runner::ParamType;
using runner::Value;

namespace {

struct Context {
  std::string file;
  std::filesystem::path dir;
  const std::vector<ParamSpec>* specs = nullptr;

  [[noreturn]] void fail(const std::string& key, const std::string& message) const {
    throw ConfigError(file, key, message);
  }
  const ParamSpec* find(const std::string& name) const {
    for (const auto& s : *specs)
      if (s.name == name) return &s;
    return nullptr;
  }
  std::vector<std::string> names() const {
    std::vector<std::string> n;
    for (const auto& s : *specs) n.push_back(s.name);
    return n;
  }
  [[noreturn]] void unknown(const std::string& key, const std::string& shown) const {
    std::string hint = did_you_mean(key, names());
    std::string msg = "unknown parameter of kind '" + kind + "'";
    if (!hint.empty()) msg += fmt::format(" (did you mean '{}'?)", hint);
    msg += "; `spindiff describe " + kind + "` lists them";
    fail(shown, msg);
  }
  std::string kind;
};

std::string range_text(const ParamSpec& s) {
  const bool real = s.type == ParamType::real || s.type == ParamType::real_list;
  const char* number = real && !s.may_be_infinite ? "a finite number" : "a number";
  if (s.min && s.max) return fmt::format("{} between {} and {}", number, *s.min, *s.max);
  if (s.min) return fmt::format("{} of at least {}", number, *s.min);
  if (s.max) return fmt::format("{} of at most {}", number, *s.max);
  return number;
}

void check_range(const Context& ctx, const ParamSpec& s, const std::string& key, double x) {
  const bool not_finite = std::isnan(x) || (std::isinf(x) && !s.may_be_infinite);
  if (not_finite || (s.min && x < *s.min) || (s.max && x > *s.max))
    ctx.fail(key, fmt::format("value {} is out of range: {} must be {}", x, s.name, range_text(s)));
}

// Integers compare exactly: a double would round 2^53 + 1 down to the bound and let it pass.
void check_integer_range(const Context& ctx, const ParamSpec& s, const std::string& key, std::int64_t i) {
  const bool below = s.min && static_cast<long double>(i) < static_cast<long double>(*s.min);
  const bool above = s.max && static_cast<long double>(i) > static_cast<long double>(*s.max);
  if (below || above) ctx.fail(key, fmt::format("value {} is out of range: {} must be {}", i, s.name, range_text(s)));
}

std::string node_type(const toml::node& n) {
  if (n.is_integer()) return "integer";
  if (n.is_floating_point()) return "float";
  if (n.is_string()) return "string";
  if (n.is_boolean()) return "boolean";
  if (n.is_array()) return "array";
  if (n.is_table()) return "table";
  return "date/time";
}

[[noreturn]] void wrong_type(const Context& ctx, const ParamSpec& s, const std::string& key, const toml::node& n) {
  std::string allowed = runner::type_name(s.type);
  if (!s.choices.empty()) allowed += fmt::format(" (one of: {})", fmt::join(s.choices, ", "));
  ctx.fail(key, fmt::format("expected {}, got {}", allowed, node_type(n)));
}

double as_number(const toml::node& n) {
  if (auto i = n.value<std::int64_t>(); i && n.is_integer()) return static_cast<double>(*i);
  return *n.value<double>();
}

// Converts one TOML node to the declared type, checking range and choices.
Value convert(const Context& ctx, const ParamSpec& s, const std::string& key, const toml::node& n) {
  switch (s.type) {
    case ParamType::integer: {
      if (!n.is_integer() && !n.is_floating_point()) wrong_type(ctx, s, key, n);
      const double x = as_number(n);
      if (n.is_floating_point() && (x != std::floor(x) || std::abs(x) > 9.007199254740992e15))
        ctx.fail(key, fmt::format("expected an integer, got {}", x));
      const auto i = n.is_integer() ? *n.value<std::int64_t>() : static_cast<std::int64_t>(x);
      check_integer_range(ctx, s, key, i);
      return i;
    }
    case ParamType::real: {
      if (!n.is_integer() && !n.is_floating_point()) wrong_type(ctx, s, key, n);
      const double x = as_number(n);
      check_range(ctx, s, key, x);
      return x;
    }
    case ParamType::boolean:
      if (!n.is_boolean()) wrong_type(ctx, s, key, n);
      return *n.value<bool>();
    case ParamType::string: {
      if (!n.is_string()) wrong_type(ctx, s, key, n);
      std::string v = *n.value<std::string>();
      if (!s.choices.empty() && std::find(s.choices.begin(), s.choices.end(), v) == s.choices.end()) {
        std::string hint = did_you_mean(v, s.choices);
        ctx.fail(key, fmt::format("'{}' is not allowed; allowed values: {}{}", v, fmt::join(s.choices, ", "),
                                  hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
      }
      return v;
    }
    case ParamType::file: {
      if (!n.is_string()) wrong_type(ctx, s, key, n);
      std::filesystem::path p = *n.value<std::string>();
      if (p.empty() && !s.required) return std::string();
      if (p.is_relative()) p = ctx.dir / p;
      p = std::filesystem::absolute(p).lexically_normal();  // the same text from any working directory
      std::error_code ec;
      if (!std::filesystem::is_regular_file(p, ec))
        ctx.fail(key, fmt::format("file not found: {} ({}: {})", p.string(), s.name, s.doc));  // the doc says where
      return p.string();
    }
    case ParamType::string_list: {
      const toml::array* a = n.as_array();
      if (!a) wrong_type(ctx, s, key, n);
      std::string joined;
      for (const toml::node& e : *a) {
        if (!e.is_string()) ctx.fail(key, "expected a list of strings");
        const std::string item = *e.value<std::string>();
        if (item.empty() || item.find(',') != std::string::npos)
          ctx.fail(key, fmt::format("list item '{}' must be non-empty and hold no comma", item));
        joined += (joined.empty() ? "" : ",") + item;
      }
      return joined;
    }
    case ParamType::real_list: {
      const toml::array* a = n.as_array();
      if (!a) wrong_type(ctx, s, key, n);
      std::vector<double> v;
      for (const toml::node& e : *a) {
        if (!e.is_integer() && !e.is_floating_point()) ctx.fail(key, "expected a list of numbers");
        v.push_back(as_number(e));
        check_range(ctx, s, key, v.back());
      }
      return v;
    }
  }
  ctx.fail(key, "unsupported parameter type");
}

// Walks a table into dotted parameter paths; `visit(name, node)` for each declared parameter.
template <class F>
void walk(const Context& ctx, const toml::table& table, const std::string& prefix, const std::string& shown_prefix,
          F&& visit) {
  for (auto&& [k, node] : table) {
    const std::string name = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    const std::string shown = shown_prefix.empty() ? name : shown_prefix + "." + name;
    if (ctx.find(name)) {
      visit(name, shown, node);
    } else if (const toml::table* sub = node.as_table()) {
      walk(ctx, *sub, name, shown_prefix, visit);
    } else {
      ctx.unknown(name, shown);
    }
  }
}

// Values of one [sweep] entry: a list, or { linspace | logspace | geomspace = [a, b, n] }.
std::vector<Value> sweep_values(const Context& ctx, const ParamSpec& s, const std::string& key, const toml::node& n) {
  std::vector<Value> out;
  if (const toml::array* a = n.as_array()) {
    if (a->empty()) ctx.fail(key, "an empty sweep list makes no tasks");
    for (const toml::node& e : *a) out.push_back(convert(ctx, s, key, e));
    return out;
  }
  const toml::table* t = n.as_table();
  if (!t || t->size() != 1)
    ctx.fail(key,
             "a sweep entry is a list of values or one of { linspace = [a, b, n] }, "
             "{ logspace = [a, b, n] } (10^a..10^b), { geomspace = [a, b, n] }");
  auto first = t->begin();  // toml++ iterators own the pair they point to: keep it alive
  const std::string rule(first->first.str());
  const toml::node& spec_node = first->second;
  if (rule != "linspace" && rule != "logspace" && rule != "geomspace")
    ctx.fail(key + "." + rule, "allowed: linspace, logspace, geomspace");
  if (s.type != ParamType::integer && s.type != ParamType::real)
    ctx.fail(key, rule + " sweeps need a numeric parameter");
  const toml::array* abn = spec_node.as_array();
  if (!abn || abn->size() != 3 || !(*abn)[2].is_integer())
    ctx.fail(key + "." + rule, "expected [start, stop, count] with an integer count");
  for (std::size_t i = 0; i < 2; ++i)
    if (!(*abn)[i].is_integer() && !(*abn)[i].is_floating_point())
      ctx.fail(key + "." + rule, "start and stop must be numbers");
  const double a = as_number((*abn)[0]), b = as_number((*abn)[1]);
  const std::int64_t count = *(*abn)[2].value<std::int64_t>();
  if (count < 1 || count > 1000000) ctx.fail(key + "." + rule, "count must be between 1 and 1000000");
  if (rule == "geomspace" && (a <= 0 || b <= 0)) ctx.fail(key + ".geomspace", "start and stop must be positive");
  for (std::int64_t i = 0; i < count; ++i) {
    const double f = count == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(count - 1);
    double x = 0;
    if (rule == "linspace") x = a + (b - a) * f;
    if (rule == "logspace") x = std::pow(10.0, a + (b - a) * f);
    if (rule == "geomspace") x = a * std::pow(b / a, f);
    if (i == count - 1 && rule == "linspace") x = b;  // exact endpoint
    if (s.type == ParamType::integer) {
      toml::value<std::int64_t> v(static_cast<std::int64_t>(std::llround(x)));
      out.push_back(convert(ctx, s, key, v));
    } else {
      toml::value<double> v(x);
      out.push_back(convert(ctx, s, key, v));
    }
  }
  return out;
}

}  // namespace

RunConfig load_run_config(const std::filesystem::path& file, const std::vector<std::string>& overrides,
                          const std::vector<runner::Kind>& kinds) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec))
    throw ConfigError(file.string(), "(file)", "is a directory; give the configuration file (a .toml file) inside it");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ConfigError(file.string(), "(file)", "cannot read the configuration file");
  std::stringstream ss;
  ss << in.rdbuf();
  std::filesystem::path dir = file.parent_path();
  if (dir.empty()) dir = ".";
  return parse_run_config(ss.str(), file.string(), dir, overrides, kinds);
}

namespace {
// The task list, streams and inputs of a parsed configuration (`cfg` holds its text and notes).
RunConfig resolve(const toml::table& root, RunConfig cfg, const std::string& file_label,
                  const std::filesystem::path& dir, const std::vector<runner::Kind>& kinds);
}  // namespace

RunConfig parse_run_config(const std::string& toml_text, const std::string& file_label,
                           const std::filesystem::path& dir, const std::vector<std::string>& overrides,
                           const std::vector<runner::Kind>& kinds) {
  toml::table root;
  try {
    root = toml::parse(toml_text, file_label);
  } catch (const toml::parse_error& e) {
    throw ConfigError(file_label, "(syntax)",
                      fmt::format("malformed TOML at line {}, column {}: {}", e.source().begin.line,
                                  e.source().begin.column, e.description()));
  }
  RunConfig cfg;
  cfg.resolved_toml = toml_text;
  OverrideSet set;
  if (!overrides.empty()) {
    for (const auto& o : overrides) set.apply(root, o);
    cfg.notes = set.notes();
    cfg.resolved_toml = set.write(root);
    // Read back what is recorded, so this run and a rerun of /config see the same key order.
    root = toml::parse(cfg.resolved_toml, file_label);
  }
  try {
    return resolve(root, std::move(cfg), file_label, dir, kinds);
  } catch (const ConfigError& e) {
    // A key that came from --set is that argument's fault, not the file's.
    if (auto argument = set.argument_for(e.key())) throw ConfigError("--set " + *argument, e.key(), e.message());
    throw;
  }
}

namespace {
RunConfig resolve(const toml::table& root, RunConfig cfg, const std::string& file_label,
                  const std::filesystem::path& dir, const std::vector<runner::Kind>& kinds) {
  cfg.file = file_label;
  cfg.dir = dir;

  std::vector<std::string> kind_names;
  for (const auto& k : kinds) kind_names.push_back(k.name);
  const toml::node* kind_node = root.get("kind");
  if (!kind_node || !kind_node->is_string())
    throw ConfigError(file_label, "kind",
                      fmt::format("missing or not a string; allowed kinds: {}", fmt::join(kind_names, ", ")));
  const std::string kind_name = *kind_node->value<std::string>();
  for (const auto& k : kinds)
    if (k.name == kind_name) cfg.kind = &k;
  if (!cfg.kind) {
    std::string hint = did_you_mean(kind_name, kind_names);
    throw ConfigError(
        file_label, "kind",
        fmt::format("unknown kind '{}'{}; allowed kinds: {}", kind_name,
                    hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint), fmt::join(kind_names, ", ")));
  }

  auto specs = std::make_shared<std::vector<ParamSpec>>(runner::runner_params());
  for (const auto& s : cfg.kind->params) specs->push_back(s);
  cfg.specs = specs;
  Context ctx{file_label, dir, specs.get(), kind_name};

  // Base values: defaults, then the file's values.
  std::map<std::string, Value> base;
  std::map<std::string, bool> given;
  for (const auto& s : *specs) base[s.name] = s.default_value;
  for (auto&& [k, node] : root) {
    const std::string key(k.str());
    if (key == "kind" || key == "sweep") continue;
    toml::table single;
    single.insert_or_assign(k, node);
    walk(ctx, single, "", "", [&](const std::string& name, const std::string& shown, const toml::node& n) {
      base[name] = convert(ctx, *ctx.find(name), shown, n);
      given[name] = true;
    });
  }

  // Sweep entries, in the order they appear in the file (overrides last).
  struct Entry {
    std::string name;
    std::vector<Value> values;
    std::uint32_t line, column;
  };
  std::vector<Entry> entries;
  if (const toml::node* sweep_node = root.get("sweep")) {
    const toml::table* sweep = sweep_node->as_table();
    if (!sweep) ctx.fail("sweep", "must be a table of parameter = list or { linspace = [a, b, n] }");
    walk(ctx, *sweep, "", "sweep", [&](const std::string& name, const std::string& shown, const toml::node& n) {
      if (name == "seed") ctx.fail(shown, "the seed cannot be swept: tasks already get independent streams");
      const auto& src = n.source().begin;
      const std::uint32_t line = src.line ? src.line : std::numeric_limits<std::uint32_t>::max();
      entries.push_back({name, sweep_values(ctx, *ctx.find(name), shown, n), line, src.column});
    });
  }
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.line, a.column) < std::tie(b.line, b.column);
  });

  for (const auto& s : *specs)
    if (s.required && !given[s.name] &&
        std::none_of(entries.begin(), entries.end(), [&](const Entry& e) { return e.name == s.name; }))
      ctx.fail(s.name, fmt::format("required {} parameter is missing: {}", runner::type_name(s.type), s.doc));

  cfg.seed = static_cast<std::uint64_t>(std::get<std::int64_t>(base["seed"]));
  cfg.repeats = std::get<std::int64_t>(base["repeats"]);
  for (const auto& e : entries) cfg.swept.push_back(e.name);

  // Cartesian product, last entry varying fastest.
  std::size_t total = 1;
  for (const auto& e : entries) {
    total *= e.values.size();
    if (total > 10000000) ctx.fail("sweep", "more than 10 million tasks");
  }
  for (std::size_t t = 0; t < total; ++t) {
    std::map<std::string, Value> values = base;
    std::size_t rest = t;
    for (std::size_t i = entries.size(); i-- > 0;) {
      values[entries[i].name] = entries[i].values[rest % entries[i].values.size()];
      rest /= entries[i].values.size();
    }
    runner::Params p(specs.get(), std::move(values));
    if (cfg.kind->validate) {
      try {
        cfg.kind->validate(p);
      } catch (const ConfigError& e) {
        throw ConfigError(file_label, e.key(), e.message());
      }
    }
    cfg.tasks.push_back(std::move(p));
  }

  // Each task's random streams are keyed by its parameter point; input files enter it by their content
  // (an HDF5 input by its datasets, not by the attributes of the run that wrote it).
  std::map<std::string, std::string> content_digests;
  for (const auto& task : cfg.tasks) {
    for (const auto& s : *specs) {
      if (s.type != ParamType::file || task.string(s.name).empty()) continue;
      const std::string& path = task.string(s.name);
      if (content_digests.count(path)) continue;
      try {
        content_digests[path] = io::input_content_digest(path);
        cfg.inputs.push_back({s.name, path, io::sha256_file(path)});
      } catch (const std::exception& e) {
        ctx.fail(s.name, e.what());
      }
    }
    cfg.points.push_back(runner::parameter_point_key(
        runner::parameter_point_text(task, [&](const std::string& path) { return content_digests.at(path); })));
  }

  for (const auto& s : *specs) {
    const bool swept = std::find(cfg.swept.begin(), cfg.swept.end(), s.name) != cfg.swept.end();
    if ((s.in_summary || swept) && s.name != "seed") cfg.summary_params.push_back(s.name);
  }
  return cfg;
}
}  // namespace

}  // namespace spindiff::config
