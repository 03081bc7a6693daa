#pragma once
// Associative recall of +-1 patterns from a noisy cue by the three memories the bridge compares: the classical
// Hopfield network (Hebb rule, zero temperature), the modern Hopfield network (softmax updates) and reverse
// diffusion driven by a score model (the empirical score of the patterns, or a learned one).
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "spindiff/core/rng.hpp"
#include "spindiff/diffusion/score.hpp"
#include "spindiff/hopfield/patterns.hpp"

namespace spindiff::bridge {

enum class RecallMethod { hebb, modern, diffusion, learned };
RecallMethod parse_recall_method(std::string_view name);

// The patterns as P x N rows of doubles.
diffusion::Points pattern_points(const hopfield::Patterns& patterns);

// A copy of `pattern` with exactly round(noise N) entries, chosen uniformly, flipped.
std::vector<std::int8_t> noisy_cue(std::span<const std::int8_t> pattern, double noise, Stream& rng);

// m = (1/N) sum_i xi_i sign(x_i) (sign(0) = +1).
double sign_overlap(std::span<const std::int8_t> pattern, const Eigen::Ref<const Eigen::RowVectorXd>& x);

// The OU time whose marginal matches the cue: a flipped fraction q gives E[cue | xi] = (1 - 2q) xi and per-entry
// variance 1 - (1 - 2q)^2, exactly the mean and variance of x_t = e^{-t} xi + sqrt(1 - e^{-2t}) z at
// t0 = -ln(1 - 2q).
double cue_time(double noise);

// Reverse diffusion of the cues (rows of x, taken as OU states at cue_time(noise)) down to t_min with `steps`
// Euler-Maruyama steps of the reverse SDE; the last step adds no noise. Nothing happens when cue_time <= t_min.
void diffusion_recall(const diffusion::ScoreModel& score, diffusion::Points& x, double noise, int steps, double t_min,
                      const Stream& stream);

}  // namespace spindiff::bridge
