#include "spindiff/stats/mean_error.hpp"

namespace spindiff::stats {

MeanError mean_error(std::span<const double> values) {
  MeanError r;
  r.count = values.size();
  if (values.empty()) return r;
  const double n = static_cast<double>(values.size());
  double sum = 0;
  for (double v : values) sum += v;
  r.mean = sum / n;
  if (values.size() < 2) return r;
  double ss = 0;
  for (double v : values) ss += (v - r.mean) * (v - r.mean);
  r.error = std::sqrt(ss / (n - 1) / n);
  return r;
}

}  // namespace spindiff::stats
