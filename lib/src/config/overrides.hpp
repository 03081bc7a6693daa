#pragma once
// `--set` overrides applied to a parsed configuration, and the configuration written back as TOML in
// the order it was written (so the sweep order, hence the task numbering, survives a rerun).
#include <toml++/toml.h>

#include <optional>
#include <string>
#include <vector>

namespace spindiff::config {

class OverrideSet {
 public:
  // Applies `key.path=value` (value in TOML syntax; a bare word is a string). A fixed key that is swept
  // replaces the sweep; `sweep.key=[...]` on a fixed key makes it swept. Each such change is noted.
  // Throws runner::ConfigError about the --set argument when it is malformed.
  void apply(toml::table& root, const std::string& argument);
  // The table as TOML: values in the order written, replaced values where the old ones were, new ones last.
  std::string write(const toml::table& root) const;
  const std::vector<std::string>& notes() const { return notes_; }
  // The last --set argument that wrote `key` (a dotted path such as `N` or `sweep.alpha`), a table
  // holding it, or the sweep of the parameter `key`, if any.
  std::optional<std::string> argument_for(const std::string& key) const;

 private:
  struct Position {
    std::uint64_t line = 0, column = 0;
    auto operator<=>(const Position&) const = default;
  };
  Position position(const std::string& path, const toml::node& node) const;
  void write_table(std::string& out, const toml::table& table, const std::string& path, bool header) const;

  std::vector<std::pair<std::string, Position>> placed_;  // dotted path -> where it is written
  std::uint64_t appended_ = 0;
  std::vector<std::string> notes_;
  std::vector<std::pair<std::string, std::string>> arguments_;  // dotted path -> the --set argument
};

}  // namespace spindiff::config
