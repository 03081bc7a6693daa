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

// The walkers of a ladder, each with its own stream (walker w draws from streams[w]).
template <spins::SpinModel M>
struct Tempered {
  std::vector<spins::Replica<M>> walkers;
  std::vector<Stream> streams;
  void resync(const M& model) {
    for (auto& w : walkers) w.resync(model);
  }
  template <class Archive>
  void fields(Archive& ar) {
    ar(walkers, streams);
  }
};

template <spins::SpinModel M>
class ParallelTempering {
 public:
  using State = Tempered<M>;

  // `observed_slot`: the temperature slot whose walker is measured and whose flips a sweep returns.
  ParallelTempering(const M& model, std::vector<double> temperatures, Rule rule, Order order,
                    std::size_t observed_slot = 0)
      : model_(&model), temps_(std::move(temperatures)), slot_(observed_slot) {
    if (temps_.size() < 2) throw std::invalid_argument("parallel tempering needs at least two temperatures");
    if (!std::is_sorted(temps_.begin(), temps_.end()) ||
        std::adjacent_find(temps_.begin(), temps_.end()) != temps_.end())
      throw std::invalid_argument("parallel tempering ladder must be strictly ascending");
    if (slot_ >= temps_.size()) throw std::invalid_argument("parallel tempering: observed slot outside the ladder");
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
  std::size_t observed_slot() const { return slot_; }
  // Walker index at temperature slot k.
  std::size_t walker_at(std::size_t k) const { return walker_at_[k]; }
  const spins::Replica<M>& observed(const State& s) const { return s.walkers[walker_at_[slot_]]; }
  std::uint64_t attempts() const { return model_->size(); }

  // Every walker starts from `init`; walker w draws from the dynamics substream w + 1, the exchanges from the
  // chain's stream (purpose exchange).
  template <class Streams>
  Start<State> start(spins::Config init, Streams&& streams) const {
    State s;
    s.walkers.assign(temps_.size(), spins::Replica<M>(*model_, std::move(init)));
    for (std::size_t w = 0; w < temps_.size(); ++w) s.streams.push_back(streams(Purpose::dynamics, w + 1));
    return {std::move(s), streams(Purpose::exchange, 0)};
  }

  // One sweep of every walker at its current temperature, then one exchange round drawn from `exchange`.
  // Returns the accepted single-spin flips at the observed slot.
  std::uint64_t sweep(State& s, Stream& exchange) {
    const std::size_t R = temps_.size();
    std::uint64_t observed_flips = 0;
    for (std::size_t k = 0; k < R; ++k) {
      const std::size_t w = walker_at_[k];
      const std::uint64_t a = updaters_[k].sweep(s.walkers[w], s.streams[w]);
      if (k == slot_) observed_flips = a;
    }
    for (std::size_t k = parity_; k + 1 < R; k += 2) {
      const std::size_t a = walker_at_[k], b = walker_at_[k + 1];
      const double x = (1.0 / temps_[k] - 1.0 / temps_[k + 1]) * (s.walkers[a].energy - s.walkers[b].energy);
      ++attempts_[k];
      if (x >= 0.0 || exchange.uniform() < std::exp(x)) {
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
    return observed_flips;
  }

  std::vector<double> exchange_acceptance() const {
    std::vector<double> a(accepts_.size());
    for (std::size_t k = 0; k < a.size(); ++k)
      a[k] = attempts_[k] ? static_cast<double>(accepts_[k]) / static_cast<double>(attempts_[k]) : NAN;
    return a;
  }
  std::uint64_t round_trips() const { return round_trips_; }

  // The ladder's occupation and statistics (the ladder itself comes from the parameters).
  template <class Archive>
  void fields(Archive& ar) {
    ar(walker_at_, heading_, attempts_, accepts_, round_trips_, parity_);
  }

 private:
  static constexpr int up = 1, down = 2;  // 0: has not reached an end yet
  const M* model_;
  std::vector<double> temps_;
  std::size_t slot_;
  std::vector<SingleSpinUpdater<M>> updaters_;
  std::vector<std::size_t> walker_at_;
  std::vector<int> heading_;
  std::vector<std::uint64_t> attempts_, accepts_;
  std::uint64_t round_trips_ = 0;
  unsigned parity_ = 0;
};

// The ladder of a run at temperature T: `ladder` plus T, ascending, without repeats.
inline std::vector<double> tempering_ladder(std::vector<double> ladder, double T) {
  ladder.push_back(T);
  std::sort(ladder.begin(), ladder.end());
  ladder.erase(std::unique(ladder.begin(), ladder.end()), ladder.end());
  return ladder;
}

// Factory entry (moves.hpp): a non-empty tempering ladder; the run's T is measured.
struct TemperingMoves {
  template <class M>
  static constexpr bool fits = spins::SpinModel<M>;
  template <class M>
  using Move = ParallelTempering<M>;
  static bool selects(const MoveSpec& spec, const ModelFacts& model) {
    if (spec.tempering.empty()) return false;
    check_site_order(spec, model);
    return true;
  }
  template <class M>
  static Move<M> make(const MoveSpec& spec, const M& model, double T) {
    const std::vector<double> ladder = tempering_ladder(spec.tempering, T);
    const auto slot = static_cast<std::size_t>(std::find(ladder.begin(), ladder.end(), T) - ladder.begin());
    return Move<M>(model, ladder, parse_rule(spec.name), spec.order, slot);
  }
};

}  // namespace spindiff::mc
