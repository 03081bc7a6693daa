#pragma once
// A spin configuration bound to a model, with the bookkeeping that makes a single-spin update cheap.
// Both states expose the same interface, used by the templated dynamics (no virtual calls):
//   size(), spin(i), spins(), field(i) (same sign as the local field), flip(i), energy(),
//   has_overlaps(), overlaps(out).
#include <algorithm>
#include <cstdint>
#include <limits>
#include <span>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "spindiff/hopfield/pattern_kernels.hpp"
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
// W is never built. Overlap is int16_t (needs N < 32768; M is then kept only in split-byte form,
// see kernels::dot_split and kernels::add_split) or int32_t.
template <class Overlap>
class HebbPatternState {
 public:
  HebbPatternState(const Patterns& patterns, std::span<const std::int8_t> s0, std::span<const double> external = {})
      : patterns_(&patterns), external_(external.empty() ? nullptr : external.data()) {
    if (patterns.N > static_cast<std::size_t>(std::numeric_limits<Overlap>::max()))
      throw std::invalid_argument("HebbPatternState: N too large for this overlap type");
    if (static_cast<double>(patterns.N) * static_cast<double>(patterns.P) > std::numeric_limits<std::int32_t>::max())
      throw std::invalid_argument("HebbPatternState: N * P must stay below 2^31 (int32 fields)");
    if (!external.empty() && external.size() != patterns.N)
      throw std::invalid_argument("HebbPatternState: external field has the wrong size");
    reset(s0);
  }

  void reset(std::span<const std::int8_t> s) {
    if (s.size() != patterns_->N) throw std::invalid_argument("HebbPatternState: state has the wrong size");
    s_.assign(s.begin(), s.end());
    std::vector<std::int32_t> acc(patterns_->P, 0);
    for (std::size_t i = 0; i < s_.size(); ++i) kernels::axpy(acc.data(), patterns_->site(i), s_[i], patterns_->P);
    if constexpr (kSplit) {
      const std::vector<std::int16_t> m(acc.begin(), acc.end());
      lo_.resize(m.size());
      hi_.resize(m.size());
      kernels::split(m.data(), lo_.data(), hi_.data(), m.size());
      if (row_sum_.size() != patterns_->N) {
        row_sum_.resize(patterns_->N);
        for (std::size_t i = 0; i < patterns_->N; ++i) {
          std::int32_t t = 0;
          for (std::size_t mu = 0; mu < patterns_->P; ++mu) t += patterns_->site(i)[mu];
          row_sum_[i] = t;
        }
      }
    } else {
      M_.assign(acc.begin(), acc.end());
    }
  }

  std::size_t size() const { return s_.size(); }
  std::int8_t spin(std::size_t i) const { return s_[i]; }
  std::span<const std::int8_t> spins() const { return s_; }
  // M_μ = N m_μ
  std::int32_t overlap_count(std::size_t mu) const {
    if constexpr (kSplit)
      return 256 * (hi_[mu] - 128) + lo_[mu];
    else
      return M_[mu];
  }
  double field(std::size_t i) const {
    std::int32_t dot;
    if constexpr (kSplit)
      dot = kernels::dot_split(patterns_->site(i), lo_.data(), hi_.data(), patterns_->P, row_sum_[i]);
    else
      dot = kernels::dot(patterns_->site(i), M_.data(), patterns_->P);
    const std::int32_t raw = dot - static_cast<std::int32_t>(patterns_->P) * s_[i];
    return detail::field(static_cast<double>(raw), scale(), external_, i);
  }
  void flip(std::size_t i) {
    s_[i] = static_cast<std::int8_t>(-s_[i]);
    if constexpr (kSplit)
      kernels::add_split(lo_.data(), hi_.data(), patterns_->site(i), static_cast<std::int8_t>(2 * s_[i]), patterns_->P);
    else
      kernels::axpy(M_.data(), patterns_->site(i), static_cast<Overlap>(2 * s_[i]), patterns_->P);
  }
  double energy() const {
    // sᵀJs = Σ_μ M_μ² − P N for J = Σ ξξᵀ with zero diagonal.
    std::int64_t quad = 0;
    for (std::size_t mu = 0; mu < patterns_->P; ++mu) {
      const std::int64_t m = overlap_count(mu);
      quad += m * m;
    }
    quad -= static_cast<std::int64_t>(patterns_->P) * static_cast<std::int64_t>(patterns_->N);
    return detail::energy(static_cast<double>(quad), scale(), detail::external_dot(external_, s_));
  }
  bool has_overlaps() const { return true; }
  std::size_t num_patterns() const { return patterns_->P; }
  void overlaps(std::span<double> out) const {
    const double inv_n = 1.0 / static_cast<double>(patterns_->N);
    for (std::size_t mu = 0; mu < patterns_->P; ++mu) out[mu] = static_cast<double>(overlap_count(mu)) * inv_n;
  }
  // Bring row i into cache ahead of its update (rows are visited in random order).
  void prefetch(std::size_t i) const {
    const char* row = reinterpret_cast<const char*>(patterns_->site(i));
    for (std::size_t b = 0; b < patterns_->P; b += 64) __builtin_prefetch(row + b);
  }

 private:
  static constexpr bool kSplit = std::is_same_v<Overlap, std::int16_t>;
  double scale() const { return 1.0 / static_cast<double>(patterns_->N); }

  const Patterns* patterns_;
  const double* external_;
  std::vector<Overlap> M_;
  std::vector<std::uint8_t> lo_, hi_;  // split-byte copy of M (int16 only)
  std::vector<std::int32_t> row_sum_;  // Σ_μ ξ_i^μ per site (int16 only)
  std::vector<std::int8_t> s_;
};

// Calls f with the narrowest pattern-form state that holds the overlaps of this N.
template <class F>
decltype(auto) with_hebb_pattern_state(const Patterns& patterns, std::span<const std::int8_t> s0, F&& f,
                                       std::span<const double> external = {}) {
  if (patterns.N <= static_cast<std::size_t>(std::numeric_limits<std::int16_t>::max())) {
    HebbPatternState<std::int16_t> state(patterns, s0, external);
    return f(state);
  }
  HebbPatternState<std::int32_t> state(patterns, s0, external);
  return f(state);
}

}  // namespace spindiff::hopfield
