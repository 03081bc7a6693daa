#include "hopfield/hopfield_kinds.hpp"

#include <cmath>

namespace spindiff::runner {

namespace hopfield_kinds {

MeanErr mean_err(const std::vector<double>& x) {
  MeanErr r;
  if (x.empty()) return r;
  for (double v : x) r.mean += v;
  r.mean /= static_cast<double>(x.size());
  if (x.size() < 2) return r;
  double ss = 0;
  for (double v : x) ss += (v - r.mean) * (v - r.mean);
  r.err = std::sqrt(ss / static_cast<double>(x.size() - 1) / static_cast<double>(x.size()));
  return r;
}

}  // namespace hopfield_kinds

void register_hopfield_kinds(std::vector<Kind>& kinds) {
  kinds.push_back(hopfield_kinds::letters_kind());
  kinds.push_back(hopfield_kinds::capacity_kind());
}

}  // namespace spindiff::runner
