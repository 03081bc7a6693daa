#pragma once
// Runs one task of a registered kind in memory, with the declared defaults overridden by `values`.
#include <map>
#include <stdexcept>
#include <string>

#include "spindiff/kinds/all_kinds.hpp"

namespace spindiff::test {

struct KindRun {
  runner::TaskOutput output;
  double scalar(const std::string& name) const {
    for (const auto& [key, value] : output.columns())
      if (key == name) return std::get<double>(value);
    throw std::out_of_range("no summary column " + name);
  }
  const std::vector<double>& array(const std::string& name) const {
    for (const auto& [key, a] : output.arrays())
      if (key == name) return std::get<std::vector<double>>(a.data);
    throw std::out_of_range("no array " + name);
  }
};

inline KindRun run_kind(const std::string& kind_name, const std::map<std::string, runner::Value>& values,
                        std::uint64_t seed = 1, std::int64_t repeats = 1) {
  const runner::Kind* kind = runner::find_kind(kind_name);
  if (!kind) throw std::invalid_argument("no kind " + kind_name);
  std::map<std::string, runner::Value> all;
  for (const auto& spec : kind->params) all[spec.name] = spec.default_value;
  for (const auto& [name, v] : values) {
    if (!all.count(name)) throw std::invalid_argument("kind " + kind_name + " has no parameter " + name);
    all[name] = v;
  }
  const runner::Params params(&kind->params, all);
  if (kind->validate) kind->validate(params);
  runner::TaskContext ctx;
  ctx.seed = seed;
  ctx.repeats = repeats;
  KindRun r;
  kind->run(params, ctx, r.output);
  // Every /summary column a kind writes is declared (name, meaning, unit) beside its parameters.
  const auto undeclared = runner::undeclared_result_columns(kind->results, r.output);
  if (!undeclared.empty())
    throw std::logic_error("kind " + kind_name + " writes the undeclared summary column " + undeclared.front());
  return r;
}

}  // namespace spindiff::test
