#pragma once
// Counter-based random streams (Random123 Philox4x32-10).
//
// Every stream is named by (seed, point, repeat, purpose[, substream]). `point` is a 64-bit name of
// what the stream belongs to: the runner passes the hash of the task's parameter point
// (runner::parameter_point_key), so a task's streams do not depend on its position in a sweep. The
// name is hashed by Philox itself into the stream's 64-bit key; the 64-bit block counter
// then walks the stream. Results depend only on the name, never on which thread or rank draws them.
// fill_u32 / fill_u64 give the same words as the scalar calls, many Philox blocks at a time
// (core/philox_bulk.hpp, the project's only vectorised Philox).
#include <Random123/philox.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <span>

#include "spindiff/core/philox_bulk.hpp"

namespace spindiff {

// Purposes keep the streams of one task apart. Add new ones at the end; never renumber.
enum class Purpose : std::uint32_t {
  patterns = 1,    // stored patterns / training data
  cue = 2,         // noisy cues, distortions
  dynamics = 3,    // Monte Carlo / Langevin / sampler noise
  init = 4,        // initial states
  couplings = 5,   // disorder (SK couplings, ...)
  exchange = 6,    // parallel-tempering swaps
  training = 7,    // minibatches, weight init
  evaluation = 8,  // fresh data for metrics
  user = 100       // first free value for experiment-specific purposes
};

struct StreamId {
  std::uint64_t seed = 0;
  std::uint64_t point = 0;  // the parameter point's key (or another 64-bit name, e.g. a disorder instance)
  std::uint32_t repeat = 0;
  std::uint32_t purpose = 0;
  std::uint64_t substream = 0;  // e.g. a particle block or a replica
};

class Stream {
 public:
  using result_type = std::uint32_t;
  using Philox = r123::Philox4x32;

  Stream() : Stream(StreamId{}) {}
  explicit Stream(const StreamId& id) : id_(id) {
    // Hash the name into a key: one Philox block of the name under the seed; the high words of the point
    // and the substream are folded into the key afterwards (distinct names keep distinct keys), so names
    // with 32-bit point and substream hash exactly as they always have.
    Philox::ctr_type name = {{static_cast<std::uint32_t>(id.point), id.repeat, id.purpose,
                              static_cast<std::uint32_t>(id.substream)}};
    Philox::key_type seed_key = {{static_cast<std::uint32_t>(id.seed), static_cast<std::uint32_t>(id.seed >> 32)}};
    Philox::ctr_type mixed = Philox{}(name, seed_key);
    key_ = {{mixed[0] ^ static_cast<std::uint32_t>(id.substream >> 32),
             mixed[1] ^ static_cast<std::uint32_t>(id.point >> 32)}};
    tag_ = mixed[2];
  }
  Stream(std::uint64_t seed, std::uint64_t point, std::uint32_t repeat, Purpose purpose, std::uint64_t substream = 0)
      : Stream(StreamId{seed, point, repeat, static_cast<std::uint32_t>(purpose), substream}) {}

  // An independent stream for a sub-unit (particle block, replica, ...) of this one.
  [[nodiscard]] Stream substream(std::uint64_t k) const {
    StreamId id = id_;
    id.substream = id_.substream * 0x9E3779B97F4A7C15ULL + k + 1;
    return Stream(id);
  }
  // An independent stream named by this one's next draw: for an object that is handed a Stream& and must
  // not share its words (a collision with another substream index has probability 2^-64).
  [[nodiscard]] Stream split() { return substream(next_u64()); }
  [[nodiscard]] const StreamId& id() const { return id_; }

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

  result_type operator()() {
    if (used_ == 4) refill();
    return buffer_[used_++];
  }
  std::uint64_t next_u64() {
    const std::uint64_t hi = (*this)();
    return (hi << 32) | (*this)();
  }
  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  // Uniform in (0, 1]: safe inside log().
  double uniform_open0() { return (static_cast<double>(next_u64() >> 11) + 1.0) * 0x1.0p-53; }
  double uniform(double a, double b) { return a + (b - a) * uniform(); }
  // Unbiased integer in [0, n) (Lemire's method).
  std::uint32_t below(std::uint32_t n) {
    return below(n, [this] { return (*this)(); });
  }
  // Standard normal (Box-Muller, both outputs used).
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double r = std::sqrt(-2.0 * std::log(uniform_open0()));
    const double phi = 2.0 * std::numbers::pi * uniform();
    spare_ = r * std::sin(phi);
    has_spare_ = true;
    return r * std::cos(phi);
  }
  double normal(double mean, double sd) { return mean + sd * normal(); }
  int spin() { return ((*this)() & 1U) ? 1 : -1; }

  // Exactly the next out.size() words of operator() (resp. next_u64()), in order, and the stream advances
  // past them; whole Philox blocks are computed in bulk, so scalar and bulk draws can be mixed freely.
  void fill_u32(std::span<std::uint32_t> out);
  void fill_u64(std::span<std::uint64_t> out);

  void fill_normal(std::span<double> out) {
    for (double& x : out) x = normal();
  }
  void fill_uniform(std::span<double> out) {
    for (double& x : out) x = uniform();
  }
  // Fisher-Yates shuffle. The words are drawn in blocks (fill_u32) but used in order, and never more than
  // the shuffle will certainly use, so the permutation and the stream afterwards are those of one draw at a
  // time.
  template <class T>
  void shuffle(std::span<T> v) {
    constexpr std::size_t kBlock = 256;
    std::uint32_t words[kBlock];
    std::size_t have = 0, used = 0;
    for (std::size_t i = v.size(); i > 1; --i) {
      const std::size_t j = below(static_cast<std::uint32_t>(i), [&] {
        if (used == have) {
          have = i - 1 < kBlock ? i - 1 : kBlock;  // steps i, i − 1, ..., 2 need at least one word each
          fill_u32(std::span<std::uint32_t>(words, have));
          used = 0;
        }
        return words[used++];
      });
      std::swap(v[i - 1], v[j]);
    }
  }

 private:
  template <class Next>
  static std::uint32_t below(std::uint32_t n, Next&& next) {
    std::uint64_t m = static_cast<std::uint64_t>(next()) * n;
    auto low = static_cast<std::uint32_t>(m);
    if (low < n) {
      const std::uint32_t threshold = static_cast<std::uint32_t>(-n) % n;
      while (low < threshold) {
        m = static_cast<std::uint64_t>(next()) * n;
        low = static_cast<std::uint32_t>(m);
      }
    }
    return static_cast<std::uint32_t>(m >> 32);
  }

  static constexpr std::uint32_t kWord3 = 0x5D1FFu;  // the fixed 4th counter word

  void refill() {
    Philox::ctr_type ctr = {
        {static_cast<std::uint32_t>(counter_), static_cast<std::uint32_t>(counter_ >> 32), tag_, kWord3}};
    buffer_ = Philox{}(ctr, key_);
    ++counter_;
    used_ = 0;
  }

  StreamId id_;
  Philox::key_type key_{};
  std::uint32_t tag_ = 0;
  std::uint64_t counter_ = 0;
  Philox::ctr_type buffer_{};
  unsigned used_ = 4;
  bool has_spare_ = false;
  double spare_ = 0.0;
};

}  // namespace spindiff
