#include "spindiff/bridge/curves.hpp"

#include <cmath>
#include <stdexcept>

namespace spindiff::bridge {

std::vector<double> backward_times(double t_from, double t_to, double dt) {
  if (!(t_from > t_to && dt > 0)) throw std::invalid_argument("backward_times: need t_from > t_to and dt > 0");
  const auto n = static_cast<std::size_t>(std::ceil((t_from - t_to) / dt - 1e-9));
  std::vector<double> t(n + 1);
  for (std::size_t k = 0; k <= n; ++k)
    t[k] = t_from + (t_to - t_from) * static_cast<double>(k) / static_cast<double>(n);
  t.back() = t_to;
  return t;
}

std::size_t nearest_index(std::span<const double> times, double t) {
  if (times.empty()) throw std::invalid_argument("nearest_index: empty grid");
  std::size_t best = 0;
  for (std::size_t k = 1; k < times.size(); ++k)
    if (std::abs(times[k] - t) < std::abs(times[best] - t)) best = k;
  return best;
}

std::optional<double> first_crossing(std::span<const double> xs, std::span<const double> ys, double level) {
  if (xs.size() != ys.size()) throw std::invalid_argument("first_crossing: sizes differ");
  for (std::size_t k = 0; k < ys.size(); ++k) {
    const double y = ys[k] - level;
    if (y == 0.0) return xs[k];
    if (k + 1 < ys.size()) {
      const double y1 = ys[k + 1] - level;
      if ((y < 0) != (y1 < 0) && y1 != 0.0) return xs[k] + (xs[k + 1] - xs[k]) * y / (y - y1);
    }
  }
  return std::nullopt;
}

}  // namespace spindiff::bridge
