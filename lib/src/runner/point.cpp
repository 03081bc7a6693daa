#include "spindiff/runner/point.hpp"

#include <fmt/format.h>

#include "spindiff/io/sha256.hpp"

namespace spindiff::runner {

namespace {
std::string quoted(const std::string& s) {
  std::string q = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') q.push_back('\\');
    if (c == '\n') {
      q += "\\n";
      continue;
    }
    q.push_back(c);
  }
  return q + "\"";
}

std::string canonical(const Value& v) {
  struct Visitor {
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(std::int64_t i) const { return fmt::format("{}", i); }
    std::string operator()(double d) const { return fmt::format("{}", d); }  // shortest exact form
    std::string operator()(const std::string& s) const { return quoted(s); }
    std::string operator()(const std::vector<double>& l) const { return fmt::format("[{}]", fmt::join(l, ", ")); }
  };
  return std::visit(Visitor{}, v);
}
}  // namespace

std::string parameter_point_text(const Params& params,
                                 const std::function<std::string(const std::string&)>& file_digest) {
  std::string text;
  for (const auto& [name, value] : params.values()) {  // std::map: sorted by name
    if (name == "seed" || name == "repeats") continue;
    bool is_file = false, unkeyed = false;
    for (const auto& s : params.specs()) {
      if (s.name != name) continue;
      is_file = s.type == ParamType::file;
      unkeyed = !s.keyed_at_default && value == s.default_value;
    }
    if (unkeyed) continue;
    const auto* path = std::get_if<std::string>(&value);
    if (is_file && path && !path->empty()) {
      text += fmt::format("{} = sha256:{}\n", name, file_digest(*path));
    } else {
      text += fmt::format("{} = {}\n", name, canonical(value));
    }
  }
  return text;
}

std::uint64_t parameter_point_key(const std::string& canonical_text) {
  const auto d = io::sha256(canonical_text);
  std::uint64_t key = 0;
  for (int i = 0; i < 8; ++i) key = (key << 8) | d[i];
  return key;
}

}  // namespace spindiff::runner
