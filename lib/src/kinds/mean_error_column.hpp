#pragma once
// A /summary column from independent repeats: the mean, with the `<name>_err` column only when there are two or
// more (a single repeat has no error bar).
#include <string>

#include "spindiff/runner/output.hpp"
#include "spindiff/stats/mean_error.hpp"

namespace spindiff::runner {

inline void mean_error_column(TaskOutput& out, const std::string& name, const stats::MeanError& m) {
  if (m.count > 1)
    out.scalar(name, m.mean, m.error);
  else
    out.scalar(name, m.mean);
}

}  // namespace spindiff::runner
