#pragma once
// Parallel tempering (replica exchange; Swendsen & Wang 1986, Hukushima & Nemoto 1996). One walker per
// temperature of an ascending ladder; after every sweep, neighbouring slots (k, k+1) swap walkers with
// probability min(1, exp[(b_k - b_{k+1})(E_k - E_{k+1})]), even and odd pairs alternately. Tracks the
// acceptance of every pair and the round trips coldest -> hottest -> coldest of the walkers.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "spindiff/mc/single_spin.hpp"

namespace spindiff::mc {

template <spins::SpinModel M>
class ParallelTempering {
 public:
  ParallelTempering(const M& model, std::vector<double> temperatures, Rule rule, Order order)
      : temps_(std::move(temperatures)) {
    if (temps_.size() < 2) throw std::invalid_argument("parallel tempering needs at least two temperatures");
    if (!std::is_sorted(temps_.begin(), temps_.end()) ||
        std::adjacent_find(temps_.begin(), temps_.end()) != temps_.end())
      throw std::invalid_argument("parallel tempering ladder must be strictly ascending");
    for (double T : temps_) updaters_.emplace_back(model, T, rule, order);
    const std::size_t R = temps_.size();
    walker_at_.resize(R);
    for (std::size_t k = 0; k < R; ++k) walker_at_[k] = k;
    heading_.assign(R, 0);
    attempts_.assign(R - 1, 0);
    accepts_.assign(R - 1, 0);
  }

  std::size_t size() const { return temps_.size(); }
  const std::vector<double>& temperatures() const { return temps_; }
  // Walker index at temperature slot k.
  std::size_t walker_at(std::size_t k) const { return walker_at_[k]; }

  // One sweep of every walker at its current temperature (walker w uses rngs[w]), then one exchange round.
  // Returns accepted single-spin flips per slot in `accepted` (size R, added to).
  void sweep(std::vector<spins::Replica<M>>& walkers, std::vector<Stream>& rngs, Stream& exchange_rng,
             std::vector<std::uint64_t>& accepted) {
    const std::size_t R = temps_.size();
    for (std::size_t k = 0; k < R; ++k) {
      const std::size_t w = walker_at_[k];
      accepted[k] += updaters_[k].sweep(walkers[w], rngs[w]);
    }
    for (std::size_t k = parity_; k + 1 < R; k += 2) {
      const std::size_t a = walker_at_[k], b = walker_at_[k + 1];
      const double x = (1.0 / temps_[k] - 1.0 / temps_[k + 1]) * (walkers[a].energy - walkers[b].energy);
      ++attempts_[k];
      if (x >= 0.0 || exchange_rng.uniform() < std::exp(x)) {
        std::swap(walker_at_[k], walker_at_[k + 1]);
        ++accepts_[k];
      }
    }
    parity_ ^= 1u;
    // Round trips: a walker counts one when it returns to the coldest slot after visiting the hottest.
    const std::size_t cold = walker_at_[0], hot = walker_at_[R - 1];
    if (heading_[cold] == down) ++round_trips_;
    heading_[cold] = up;
    if (heading_[hot] == up) heading_[hot] = down;
  }

  std::vector<double> exchange_acceptance() const {
    std::vector<double> a(accepts_.size());
    for (std::size_t k = 0; k < a.size(); ++k)
      a[k] = attempts_[k] ? static_cast<double>(accepts_[k]) / static_cast<double>(attempts_[k]) : NAN;
    return a;
  }
  std::uint64_t round_trips() const { return round_trips_; }

 private:
  static constexpr int up = 1, down = 2;  // 0: has not reached an end yet
  std::vector<double> temps_;
  std::vector<SingleSpinUpdater<M>> updaters_;
  std::vector<std::size_t> walker_at_;
  std::vector<int> heading_;
  std::vector<std::uint64_t> attempts_, accepts_;
  std::uint64_t round_trips_ = 0;
  unsigned parity_ = 0;
};

}  // namespace spindiff::mc
