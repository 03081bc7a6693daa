#include <stdexcept>

#include "spindiff/diffusion/datasets.hpp"

namespace spindiff::diffusion {

Points letters(Eigen::Index n, const std::string& alphabet, int resolution,
               const hopfield::letters::Distortion& distortion, Stream& stream) {
  if (alphabet.empty()) throw std::invalid_argument("letters: empty alphabet");
  for (char c : alphabet)
    if (c < 'A' || c > 'Z') throw std::invalid_argument("letters: only capital letters A-Z are drawn");
  const auto k = static_cast<Eigen::Index>(alphabet.size());
  const Eigen::Index d = static_cast<Eigen::Index>(resolution) * resolution;
  Points x(n, d);
  for (Eigen::Index i = 0; i < n; ++i) {
    const std::vector<std::int8_t> image =
        hopfield::letters::render(alphabet[static_cast<std::size_t>(i % k)], resolution, distortion, stream);
    for (Eigen::Index j = 0; j < d; ++j) x(i, j) = image[static_cast<std::size_t>(j)];
  }
  return x;
}

}  // namespace spindiff::diffusion
