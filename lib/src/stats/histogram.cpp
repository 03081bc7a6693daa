#include "spindiff/stats/histogram.hpp"

#include <boost/histogram.hpp>
#include <stdexcept>

namespace spindiff::stats {

namespace bh = boost::histogram;
using Axis = bh::axis::regular<double>;

struct Histogram::Impl {
  decltype(bh::make_histogram(std::declval<Axis>())) h;
  double lo, hi;  // as given: the axis rebuilt from its own edges could differ in the last bit
};

Histogram::Histogram(std::size_t bins, double lo, double hi)
    : impl_(new Impl{bh::make_histogram(Axis(static_cast<unsigned>(bins), lo, hi)), lo, hi}) {}
Histogram::~Histogram() = default;
Histogram::Histogram(Histogram&&) noexcept = default;
Histogram& Histogram::operator=(Histogram&&) noexcept = default;

void Histogram::fill(double x) { impl_->h(x); }

std::vector<double> Histogram::edges() const {
  const auto& ax = impl_->h.axis(0);
  std::vector<double> e;
  for (int i = 0; i <= ax.size(); ++i) e.push_back(ax.value(i));
  return e;
}

std::vector<std::int64_t> Histogram::counts() const {
  std::vector<std::int64_t> c;
  for (auto&& x : bh::indexed(impl_->h)) c.push_back(static_cast<std::int64_t>(*x));
  return c;
}

std::int64_t Histogram::underflow() const { return static_cast<std::int64_t>(impl_->h.at(-1)); }
std::int64_t Histogram::overflow() const { return static_cast<std::int64_t>(impl_->h.at(impl_->h.axis(0).size())); }

Histogram::State Histogram::state() const {
  State s;
  const int n = impl_->h.axis(0).size();
  s.bins = static_cast<std::uint64_t>(n);
  s.lo = impl_->lo;
  s.hi = impl_->hi;
  for (int i = -1; i <= n; ++i) s.cells.push_back(static_cast<double>(impl_->h.at(i)));
  return s;
}

void Histogram::restore(const State& s) {
  if (s.cells.size() != s.bins + 2) throw std::runtime_error("histogram state: cell count does not match the bins");
  Histogram h(static_cast<std::size_t>(s.bins), s.lo, s.hi);
  const int n = static_cast<int>(s.bins);
  for (int i = -1; i <= n; ++i) h.impl_->h.at(i) = s.cells[static_cast<std::size_t>(i + 1)];
  *this = std::move(h);
}

}  // namespace spindiff::stats
