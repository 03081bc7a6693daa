#include "spindiff/runner/result_columns.hpp"

#include <algorithm>

#include "spindiff/runner/output.hpp"

namespace spindiff::runner {

ResultColumn result(std::string name, std::string doc, std::string unit) {
  return ResultColumn{std::move(name), std::move(doc), std::move(unit), false, true};
}

ResultColumn exact_result(std::string name, std::string doc, std::string unit) {
  return ResultColumn{std::move(name), std::move(doc), std::move(unit), false, false};
}

ResultColumn result_family(std::string prefix, std::string doc, std::string unit) {
  return ResultColumn{std::move(prefix), std::move(doc), std::move(unit), true, true};
}

std::string ResolvedColumn::doc() const {
  if (!column) return "";
  return error ? "standard error of: " + column->doc : column->doc;
}

namespace {
const ResultColumn* find_column(const std::vector<ResultColumn>& declared, const std::string& name) {
  for (const auto& c : declared)
    if (!c.prefix && c.name == name) return &c;
  for (const auto& c : declared)
    if (c.prefix && name.size() > c.name.size() && name.compare(0, c.name.size(), c.name) == 0) return &c;
  return nullptr;
}
}  // namespace

ResolvedColumn resolve_result_column(const std::vector<ResultColumn>& declared, const std::string& name) {
  if (const ResultColumn* c = find_column(declared, name)) return {c, false};
  static const std::string suffix = "_err";
  if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
    const ResultColumn* c = find_column(declared, name.substr(0, name.size() - suffix.size()));
    if (c && c->has_error) return {c, true};
  }
  return {};
}

std::vector<std::string> undeclared_result_columns(const std::vector<ResultColumn>& declared, const TaskOutput& out) {
  std::vector<std::string> missing;
  for (const auto& [name, value] : out.columns())
    if (!resolve_result_column(declared, name).column &&
        std::find(missing.begin(), missing.end(), name) == missing.end())
      missing.push_back(name);
  return missing;
}

}  // namespace spindiff::runner
