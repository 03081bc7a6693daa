#pragma once
// A fixed-range 1-D histogram (Boost.Histogram regular axis), exported as plain vectors for storage.
#include <cstdint>
#include <memory>
#include <vector>

namespace spindiff::stats {

class Histogram {
 public:
  Histogram(std::size_t bins, double lo, double hi);
  Histogram() : Histogram(1, 0.0, 1.0) {}  // placeholder, e.g. to read a checkpoint into
  ~Histogram();
  Histogram(Histogram&&) noexcept;
  Histogram& operator=(Histogram&&) noexcept;

  void fill(double x);
  std::vector<double> edges() const;         // bins + 1
  std::vector<std::int64_t> counts() const;  // bins (in range)
  std::int64_t underflow() const;
  std::int64_t overflow() const;

  // Everything that defines the histogram, as plain values (a checkpoint saves it).
  struct State {
    std::uint64_t bins = 1;
    double lo = 0, hi = 1;
    std::vector<double> cells;  // underflow, bins, overflow
  };
  State state() const;
  void restore(const State& s);
  template <class Archive>
  void fields(Archive& ar) {
    State s;
    if constexpr (!Archive::reading) s = state();
    ar(s.bins, s.lo, s.hi, s.cells);
    if constexpr (Archive::reading) restore(s);
  }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace spindiff::stats
