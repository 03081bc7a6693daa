#pragma once
// Kinds registered only by the runner tests: small, fast, and with known answers.
#include <cmath>
#include <stdexcept>

#include "spindiff/kinds/all_kinds.hpp"

namespace spindiff::test {

// Draws n normals N(mean, 1) per repeat; reports the sample mean and its standard error.
inline void register_test_kinds() {
  using namespace spindiff::runner;
  Kind gauss;
  gauss.name = "test.gaussian";
  gauss.summary = "test kind: sample mean of N(mean, 1) draws";
  gauss.params = {summary(real_param("mean", 0.0, -100.0, 100.0, "true mean")),
                  integer_param("n", 1000, 1.0, 1e8, "draws per repeat"),
                  choice_param("label", "a", {"a", "b", "c"}, "a text parameter"),
                  real_list_param("weights", {0.5, 0.5}, 0.0, 1.0, "a list parameter"),
                  integer_param("fail_task", -1, -1.0, 1e6, "task index that throws (tests failure handling)")};
  gauss.results = {result("sample_mean", "mean of the draws"), exact_result("label_out", "the `label` parameter")};
  gauss.run = [](const Params& p, const TaskContext& ctx, TaskOutput& out) {
    if (p.integer("fail_task") == static_cast<std::int64_t>(ctx.task)) throw std::runtime_error("requested failure");
    const auto n = p.integer("n");
    double sum = 0, sum2 = 0;
    std::vector<double> first;
    for (std::int64_t r = 0; r < ctx.repeats; ++r) {
      Stream s = ctx.stream(static_cast<std::uint32_t>(r), Purpose::dynamics);
      for (std::int64_t i = 0; i < n; ++i) {
        const double x = p.real("mean") + s.normal();
        sum += x;
        sum2 += x * x;
        if (first.size() < 10) first.push_back(x);
      }
    }
    const double total = static_cast<double>(n * ctx.repeats);
    const double m = sum / total;
    out.scalar("sample_mean", m, std::sqrt((sum2 / total - m * m) / total));
    out.label("label_out", p.string("label"));
    out.array("first_draws", first);
    out.array("nested/grid", std::vector<std::int64_t>{1, 2, 3, 4, 5, 6}, {2, 3});
  };
  gauss.validate = [](const Params& p) {
    if (p.reals("weights").size() != 2) throw ConfigError("", "weights", "needs exactly two entries");
  };
  register_kind(gauss);
}

}  // namespace spindiff::test
