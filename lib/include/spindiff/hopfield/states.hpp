#pragma once
// A spin configuration bound to a model, with the bookkeeping that makes a single-spin update cheap.
// Both states expose the same interface, used by the templated dynamics (no virtual calls):
//   size(), spin(i), spins(), field(i) (same sign as the local field), local_field(i), flip(i), energy(),
//   has_overlaps(), overlaps(out).
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <span>
#include <stdexcept>
#include <vector>

#include "spindiff/core/aligned_allocator.hpp"
#include "spindiff/hopfield/dynamics.hpp"
#include "spindiff/hopfield/overlap_stores.hpp"
#include "spindiff/hopfield/packed_kernels.hpp"
#include "spindiff/hopfield/packed_rows.hpp"
#include "spindiff/hopfield/patterns.hpp"
#include "spindiff/hopfield/rules.hpp"

namespace spindiff::hopfield {

namespace detail {
// E = −½ scale·quad − h·s, with quad = sᵀJs. One shared formula keeps both paths bit-identical.
inline double energy(double quad, double scale, double hs) { return -0.5 * scale * quad - hs; }
// The local field scale·raw + h_i; without an external field only its sign matters (scale > 0).
inline double field(double raw, double scale, const double* external, std::size_t i) {
  return external ? scale * raw + external[i] : raw;
}
inline double external_dot(const double* external, std::span<const std::int8_t> s) {
  double hs = 0.0;
  if (external)
    for (std::size_t i = 0; i < s.size(); ++i) hs += external[i] * s[i];
  return hs;
}
}  // namespace detail

// Dense path: keeps f = J s and updates it by one column of J per flip (O(N) per flip, O(1) per
// update that does not flip).
class DenseState {
 public:
  DenseState(const DenseModel& model, std::span<const std::int8_t> s0, const Patterns* patterns = nullptr)
      : model_(&model), patterns_(patterns) {
    if (model.J.rows() != model.J.cols()) throw std::invalid_argument("DenseState: J must be square");
    if (model.external.size() != 0 && model.external.size() != model.J.rows())
      throw std::invalid_argument("DenseState: external field has the wrong size");
    reset(s0);
  }

  void reset(std::span<const std::int8_t> s) {
    if (s.size() != model_->size()) throw std::invalid_argument("DenseState: state has the wrong size");
    s_.assign(s.begin(), s.end());
    Eigen::VectorXd sv(static_cast<Eigen::Index>(s_.size()));
    for (std::size_t i = 0; i < s_.size(); ++i) sv(static_cast<Eigen::Index>(i)) = s_[i];
    f_.noalias() = model_->J * sv;
  }

  std::size_t size() const { return s_.size(); }
  std::int8_t spin(std::size_t i) const { return s_[i]; }
  std::span<const std::int8_t> spins() const { return s_; }
  double field(std::size_t i) const {
    return detail::field(f_[static_cast<Eigen::Index>(i)], model_->scale, external(), i);
  }
  // The local field h_i itself (finite-temperature dynamics need its size, not only its sign).
  double local_field(std::size_t i) const {
    const double* h = external();
    return model_->scale * f_[static_cast<Eigen::Index>(i)] + (h ? h[i] : 0.0);
  }
  void flip(std::size_t i) {
    s_[i] = static_cast<std::int8_t>(-s_[i]);
    f_.noalias() += (2.0 * s_[i]) * model_->J.col(static_cast<Eigen::Index>(i));
  }
  double energy() const {
    double quad = 0.0;
    for (std::size_t i = 0; i < s_.size(); ++i) quad += s_[i] * f_[static_cast<Eigen::Index>(i)];
    return detail::energy(quad, model_->scale, detail::external_dot(external(), s_));
  }
  bool has_overlaps() const { return patterns_ != nullptr; }
  std::size_t num_patterns() const { return patterns_ ? patterns_->P : 0; }
  void overlaps(std::span<double> out) const { hopfield::overlaps(*patterns_, s_, out); }

 private:
  const double* external() const { return model_->external.size() ? model_->external.data() : nullptr; }

  const DenseModel* model_;
  const Patterns* patterns_;
  std::vector<std::int8_t> s_;
  Eigen::VectorXd f_;
};

// Pattern form of the Hebb rule: keeps the integer overlaps M_μ = Σ_j ξ_j^μ s_j; then
// N·h_i = Σ_μ ξ_i^μ M_μ − P s_i (the −P s_i removes the diagonal). O(P) per update and per flip;
// W is never built. The patterns are read as bits b (PackedRows, ξ = 2b − 1), and M is stored as
// M' = M − c with one scalar offset c, so that a flip (M += d ξ_i) touches only the set lanes:
// M' += 2d where b_i = 1, c −= d. Then Σ_μ ξ_i^μ M_μ = 2 (Σ_{b=1} M'_μ + c n_i) − Σ_μ M_μ, with n_i the
// number of set bits of row i and the total Σ_μ M_μ kept up to date.
// Store (hopfield/overlap_stores.hpp) holds M' up to Store::kMaxMagnitude: N ≤ kMaxSites, and M' is folded
// back to c = 0 before |c| outgrows the room left beside |M| ≤ N. Every store gives identical integers.
// The state borrows the packed rows (packed once per network, not once per recall): they must outlive it.
template <class Store>
class HebbPatternState {
 public:
  static constexpr std::int32_t kFoldRoom = 1024;
  static constexpr std::size_t kMaxSites = static_cast<std::size_t>(Store::kMaxMagnitude - kFoldRoom);

  HebbPatternState(const PackedRows& rows, std::span<const std::int8_t> s0, std::span<const double> external = {})
      : rows_(rows), external_(external.empty() ? nullptr : external.data()), store_(rows.words, rows.P) {
    if (rows.N > kMaxSites) throw std::invalid_argument("HebbPatternState: N too large for this overlap store");
    if (static_cast<double>(rows.N) * static_cast<double>(rows.P) > std::numeric_limits<std::int32_t>::max())
      throw std::invalid_argument("HebbPatternState: N * P must stay below 2^31 (int32 fields)");
    if (!external.empty() && external.size() != rows.N)
      throw std::invalid_argument("HebbPatternState: external field has the wrong size");
    reset(s0);
  }
  HebbPatternState(PackedRows&&, std::span<const std::int8_t>, std::span<const double> = {}) = delete;

  void reset(std::span<const std::int8_t> s) {
    if (s.size() != rows_.N) throw std::invalid_argument("HebbPatternState: state has the wrong size");
    s_.assign(s.begin(), s.end());
    // M_μ = 2 Σ_i s_i b_iμ − Σ_i s_i, summed in int32 (the first term reaches 2N).
    AlignedVector<std::int32_t> twice(rows_.padded(), 0);
    std::int32_t spin_sum = 0;
    total_ = 0;
    for (std::size_t i = 0; i < s_.size(); ++i) {
      Store::Isa::add_set(rows_.row(i), twice.data(), 2 * s_[i], rows_.P);
      spin_sum += s_[i];
      total_ += s_[i] * rows_.row_sum[i];
    }
    for (std::size_t mu = 0; mu < rows_.P; ++mu) twice[mu] -= spin_sum;
    store_.assign(twice);
    offset_ = 0;
  }

  std::size_t size() const { return s_.size(); }
  std::int8_t spin(std::size_t i) const { return s_[i]; }
  std::span<const std::int8_t> spins() const { return s_; }
  // M_μ = N m_μ
  std::int32_t overlap_count(std::size_t mu) const { return store_.value(mu) + offset_; }
  double field(std::size_t i) const { return field_from(dot(i), i); }
  double local_field(std::size_t i) const {
    const std::int32_t raw = dot(i) - static_cast<std::int32_t>(rows_.P) * s_[i];
    return scale() * static_cast<double>(raw) + (external_ ? external_[i] : 0.0);
  }
  void flip(std::size_t i) {
    s_[i] = static_cast<std::int8_t>(-s_[i]);
    const std::int32_t d = 2 * s_[i];
    if (std::abs(offset_ - d) > Store::kMaxMagnitude - static_cast<std::int32_t>(rows_.N)) fold();
    store_.add_set(rows_.row(i), 2 * d);
    offset_ -= d;
    total_ += d * rows_.row_sum[i];
  }
  double energy() const {
    // sᵀJs = Σ_μ M_μ² − P N for J = Σ ξξᵀ with zero diagonal.
    std::int64_t quad = 0;
    for (std::size_t mu = 0; mu < rows_.P; ++mu) {
      const std::int64_t m = overlap_count(mu);
      quad += m * m;
    }
    quad -= static_cast<std::int64_t>(rows_.P) * static_cast<std::int64_t>(rows_.N);
    return detail::energy(static_cast<double>(quad), scale(), detail::external_dot(external_, s_));
  }
  bool has_overlaps() const { return true; }
  std::size_t num_patterns() const { return rows_.P; }
  void overlaps(std::span<double> out) const {
    const double inv_n = 1.0 / static_cast<double>(rows_.N);
    for (std::size_t mu = 0; mu < rows_.P; ++mu) out[mu] = static_cast<double>(overlap_count(mu)) * inv_n;
  }
  // One asynchronous sweep in the given order, software-pipelined: the field sum of the next site starts
  // before this site's flip is decided (so a mispredicted flip does not discard it), and a flip corrects it
  // by d Σ_μ ξ_i^μ ξ_j^μ. All integer, so the trajectory is exactly that of field(i) then flip(i).
  std::size_t sweep(std::span<const std::uint32_t> order) {
    constexpr std::size_t kPrefetchAhead = 4;  // rows are visited in random order
    const std::size_t n = order.size();
    std::size_t flips = 0;
    std::int32_t next = n ? dot(order[0]) : 0;
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t i = order[k];
      const std::int32_t current = next;
      if (k + kPrefetchAhead < n) prefetch(order[k + kPrefetchAhead]);
      if (k + 1 < n) next = dot(order[k + 1]);
      const double h = field_from(current, i);
      if (flips_at_zero_temperature(s_[i], h)) {
        flip(i);
        ++flips;
        if (k + 1 < n) next += 2 * s_[i] * agreement_of(i, order[k + 1]);
      }
    }
    return flips;
  }

 private:
  double scale() const { return 1.0 / static_cast<double>(rows_.N); }
  // Σ_μ ξ_i^μ M_μ
  std::int32_t dot(std::size_t i) const {
    const std::int32_t set_sum = store_.sum_set(rows_.row(i));
    return 2 * set_sum + offset_ * (rows_.row_sum[i] + static_cast<std::int32_t>(rows_.P)) - total_;
  }
  double field_from(std::int32_t dot, std::size_t i) const {
    const std::int32_t raw = dot - static_cast<std::int32_t>(rows_.P) * s_[i];
    return detail::field(static_cast<double>(raw), scale(), external_, i);
  }
  void prefetch(std::size_t i) const {
    const char* row = reinterpret_cast<const char*>(rows_.row(i));
    for (std::size_t b = 0; b < 8 * rows_.words; b += 64) __builtin_prefetch(row + b);
  }
  // Σ_μ ξ_i^μ ξ_j^μ (PackedRows::agreement, with the store's popcount).
  std::int32_t agreement_of(std::size_t i, std::size_t j) const {
    return static_cast<std::int32_t>(rows_.P) - 2 * Store::differing_bits(rows_.row(i), rows_.row(j), rows_.words);
  }
  void fold() {
    store_.add_all(offset_);
    offset_ = 0;
  }

  const PackedRows& rows_;
  const double* external_;
  Store store_;              // M' = M − offset_
  std::int32_t offset_ = 0;  // c
  std::int32_t total_ = 0;   // Σ_μ M_μ (|total| ≤ N P < 2^31)
  std::vector<std::int8_t> s_;
};

// Calls f with the pattern-form state this CPU runs fastest for this N: the byte planes where AVX-512 with
// GFNI is present and N ≤ 15295, otherwise int16 lanes (N ≤ 31743) or int32 lanes on the widest instruction set.
template <class F>
decltype(auto) with_hebb_pattern_state(const PackedRows& rows, std::span<const std::int8_t> s0, F&& f,
                                       std::span<const double> external = {}) {
  if (PlaneStore::available() && rows.N <= HebbPatternState<PlaneStore>::kMaxSites) {
    HebbPatternState<PlaneStore> state(rows, s0, external);
    return f(state);
  }
  return packed::with_best_isa([&](auto isa) -> decltype(auto) {
    using Isa = decltype(isa);
    if (rows.N <= HebbPatternState<LaneStore<std::int16_t, Isa>>::kMaxSites) {
      HebbPatternState<LaneStore<std::int16_t, Isa>> state(rows, s0, external);
      return f(state);
    }
    HebbPatternState<LaneStore<std::int32_t, Isa>> state(rows, s0, external);
    return f(state);
  });
}

}  // namespace spindiff::hopfield
