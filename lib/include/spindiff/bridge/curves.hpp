#pragma once
// Small helpers for measured curves: time grids and level crossings.
#include <optional>
#include <span>
#include <vector>

namespace spindiff::bridge {

// Decreasing grid from t_from to t_to (> 0) in equal steps no longer than dt; both ends included.
std::vector<double> backward_times(double t_from, double t_to, double dt);

// Index of the grid time nearest to t.
std::size_t nearest_index(std::span<const double> times, double t);

// The first place, scanning in the given order, where ys reaches `level` (a sign change of ys - level between
// two consecutive points, or an exact hit), linearly interpolated in xs. Empty when it never does.
std::optional<double> first_crossing(std::span<const double> xs, std::span<const double> ys, double level);

}  // namespace spindiff::bridge
