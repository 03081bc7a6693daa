#include "spindiff/stats/histogram.hpp"

#include <boost/histogram.hpp>

namespace spindiff::stats {

namespace bh = boost::histogram;
using Axis = bh::axis::regular<double>;

struct Histogram::Impl {
  decltype(bh::make_histogram(std::declval<Axis>())) h;
};

Histogram::Histogram(std::size_t bins, double lo, double hi)
    : impl_(new Impl{bh::make_histogram(Axis(static_cast<unsigned>(bins), lo, hi))}) {}
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

}  // namespace spindiff::stats
