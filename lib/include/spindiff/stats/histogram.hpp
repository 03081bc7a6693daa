#pragma once
// A fixed-range 1-D histogram (Boost.Histogram regular axis), exported as plain vectors for storage.
#include <cstdint>
#include <memory>
#include <vector>

namespace spindiff::stats {

class Histogram {
 public:
  Histogram(std::size_t bins, double lo, double hi);
  ~Histogram();
  Histogram(Histogram&&) noexcept;
  Histogram& operator=(Histogram&&) noexcept;

  void fill(double x);
  std::vector<double> edges() const;         // bins + 1
  std::vector<std::int64_t> counts() const;  // bins (in range)
  std::int64_t underflow() const;
  std::int64_t overflow() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace spindiff::stats
