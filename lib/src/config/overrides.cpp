#include "overrides.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "spindiff/runner/params.hpp"

namespace spindiff::config {

using runner::ConfigError;

namespace {
std::string trim(std::string s) {
  s.erase(0, s.find_first_not_of(" \t"));
  s.erase(s.find_last_not_of(" \t") + 1);
  return s;
}

std::vector<std::string> split_path(const std::string& path, const std::string& argument) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto dot = path.find('.', start);
    parts.push_back(path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (parts.back().empty()) throw ConfigError("--set " + argument, path, "empty key in the --set path");
    if (dot == std::string::npos) return parts;
    start = dot + 1;
  }
}

std::string join(const std::vector<std::string>& parts, std::size_t from = 0) {
  std::string s;
  for (std::size_t i = from; i < parts.size(); ++i) s += (s.empty() ? "" : ".") + parts[i];
  return s;
}

// The node at `parts` below `root`, or null.
toml::node* find(toml::table& root, const std::vector<std::string>& parts) {
  toml::node* n = &root;
  for (const auto& p : parts) {
    toml::table* t = n->as_table();
    if (!t) return nullptr;
    n = t->get(p);
    if (!n) return nullptr;
  }
  return n;
}

// Unlinks the node at `parts` and any table left empty by it.
void erase(toml::table& root, const std::vector<std::string>& parts) {
  std::vector<toml::table*> chain{&root};
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) chain.push_back(chain.back()->get(parts[i])->as_table());
  chain.back()->erase(parts.back());
  for (std::size_t i = chain.size(); i-- > 1;)
    if (chain[i]->empty()) chain[i - 1]->erase(parts[i - 1]);
}

// A value that is not TOML is accepted as a string only when it is a bare word that cannot have been
// meant as a number, list, table or quoted string (--set rule=hebb, --set data=digits.csv).
bool bare_word(const std::string& v) {
  if (v.empty()) return false;
  const char c = v[0];
  if (c == '[' || c == '{' || c == '"' || c == '\'' || c == '+' || c == '-' || (c >= '0' && c <= '9')) return false;
  if (c == '.' && v.size() > 1 && v[1] >= '0' && v[1] <= '9') return false;
  return v.find_first_of(" \t[]{},\"'=#") == std::string::npos;
}
// A value in TOML syntax, numbers in their shortest exact form (toml++ writes 17 digits).
std::string value_text(const toml::node& n) {
  if (const auto* d = n.as_floating_point()) {
    const double x = d->get();
    if (std::isnan(x)) return "nan";
    if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
    std::string t = fmt::format("{}", x);
    if (t.find_first_of(".e") == std::string::npos) t += ".0";
    return t;
  }
  if (const auto* a = n.as_array()) {
    std::string t = "[";
    for (std::size_t i = 0; i < a->size(); ++i) t += (i ? ", " : "") + value_text(*a->get(i));
    return t + "]";
  }
  if (const auto* t = n.as_table(); t && t->is_inline()) {
    std::string s = "{ ";
    bool first = true;
    for (auto&& [k, v] : *t) {
      s += (first ? "" : ", ") + std::string(k.str()) + " = " + value_text(v);
      first = false;
    }
    return s + " }";
  }
  toml::table single;  // strings (escapes), integers, booleans, dates: toml++'s own form
  single.insert_or_assign("v", n);
  std::ostringstream os;
  os << toml::toml_formatter(single);
  return os.str().substr(4);
}
}  // namespace

void OverrideSet::apply(toml::table& root, const std::string& argument) {
  const std::string shown = "--set " + argument;
  const auto eq = argument.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ConfigError(shown, "(syntax)",
                      "--set takes key=value (for example --set N=2000 or --set 'sweep.alpha=[0.05, 0.1]')");
  const std::string path = trim(argument.substr(0, eq)), value = trim(argument.substr(eq + 1));
  if (path.empty()) throw ConfigError(shown, "(syntax)", "--set needs a key before '='");
  toml::table parsed;
  try {
    parsed = toml::parse("v = " + value);
  } catch (const toml::parse_error& e) {
    if (!bare_word(value))
      throw ConfigError(shown, path,
                        fmt::format("the value '{}' is not valid TOML ({}); numbers need a digit before the "
                                    "point (0.1), lists both brackets ([1, 2]), text with spaces quotes",
                                    value, e.description()));
    parsed.insert_or_assign("v", value);
  }
  const std::vector<std::string> parts = split_path(path, argument);
  const bool to_sweep = parts.size() > 1 && parts[0] == "sweep";
  const std::vector<std::string> param(parts.begin() + (to_sweep ? 1 : 0), parts.end());

  // The other form of the same parameter (swept <-> fixed) goes away, and the user hears of it.
  if (to_sweep) {
    const toml::node* fixed = find(root, param);
    if (fixed && !(fixed->is_table() && !fixed->as_table()->is_inline())) {
      erase(root, param);
      notes_.push_back(fmt::format("{}: '{}' is now swept (its fixed value is dropped)", shown, join(param)));
    }
  } else if (parts[0] != "sweep") {
    std::vector<std::string> swept = param;
    swept.insert(swept.begin(), "sweep");
    if (find(root, swept)) {
      erase(root, swept);
      notes_.push_back(fmt::format("{}: replaces the sweep over '{}' (now fixed)", shown, join(param)));
    }
  }

  toml::table* table = &root;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    toml::node* next = table->get(parts[i]);
    if (!next) next = &table->insert_or_assign(parts[i], toml::table{}).first->second;
    if (!next->is_table())
      throw ConfigError(shown, path, fmt::format("'{}' is not a table, cannot set a key inside it", parts[i]));
    table = next->as_table();
  }
  // A replaced value keeps its place in the written configuration; a new one goes last.
  Position where{std::numeric_limits<std::uint64_t>::max(), appended_++};
  if (const toml::node* old = table->get(parts.back())) where = position(path, *old);
  table->insert_or_assign(parts.back(), *parsed.get("v"));
  placed_.emplace_back(path, where);
  arguments_.emplace_back(join(parts), argument);
}

std::optional<std::string> OverrideSet::argument_for(const std::string& key) const {
  for (auto it = arguments_.rbegin(); it != arguments_.rend(); ++it)
    if (key == it->first || key.starts_with(it->first + ".") || it->first == "sweep." + key) return it->second;
  return std::nullopt;
}

OverrideSet::Position OverrideSet::position(const std::string& path, const toml::node& node) const {
  for (auto it = placed_.rbegin(); it != placed_.rend(); ++it)
    if (it->first == path) return it->second;
  const auto& b = node.source().begin;
  if (b.line == 0) return {std::numeric_limits<std::uint64_t>::max(), std::numeric_limits<std::uint64_t>::max()};
  return {b.line, b.column};
}

void OverrideSet::write_table(std::string& out, const toml::table& table, const std::string& path, bool header) const {
  struct Entry {
    Position at;
    std::string key;
    const toml::node* node;
  };
  std::vector<Entry> values, tables;
  for (auto&& [k, node] : table) {
    const std::string key(k.str());
    const std::string child = path.empty() ? key : path + "." + key;
    const bool sub = node.is_table() && !node.as_table()->is_inline();
    (sub ? tables : values).push_back({position(child, node), key, &node});
  }
  auto by_position = [](const Entry& a, const Entry& b) { return std::tie(a.at, a.key) < std::tie(b.at, b.key); };
  std::stable_sort(values.begin(), values.end(), by_position);
  std::stable_sort(tables.begin(), tables.end(), by_position);
  if (header && !values.empty()) out += "\n[" + path + "]\n";
  for (const auto& e : values) {
    out += e.key + " = " + value_text(*e.node) + "\n";
  }
  for (const auto& e : tables) write_table(out, *e.node->as_table(), path.empty() ? e.key : path + "." + e.key, true);
}

std::string OverrideSet::write(const toml::table& root) const {
  std::string out;
  write_table(out, root, "", false);
  return out;
}

}  // namespace spindiff::config
