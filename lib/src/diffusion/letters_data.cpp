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

std::vector<Attribute> letter_attributes(const std::string& alphabet) {
  Attribute letter{"letter", {}};
  for (char c : alphabet) letter.values.emplace_back(1, c);
  return {letter, {"style", {"upright", "italic"}}, {"stroke", {"thin", "bold"}}};
}

LabelledPoints labelled_letters(Eigen::Index n, const std::string& alphabet, int resolution,
                                const hopfield::letters::Distortion& distortion, const LetterStyles& styles,
                                Stream& stream, const Condition& skip) {
  if (alphabet.empty()) throw std::invalid_argument("letters: empty alphabet");
  for (char c : alphabet)
    if (c < 'A' || c > 'Z') throw std::invalid_argument("letters: only capital letters A-Z are drawn");
  const bool skipping = !skip.values.empty() && !skip.is_unconditional();
  if (skipping && skip.values.size() != 3)
    throw std::invalid_argument("letters: the held-out condition needs 3 attributes");
  const int k = static_cast<int>(alphabet.size());
  // The label combinations in drawing order, without the skipped ones.
  Labels combos(4 * k, 3);
  Eigen::Index kept = 0;
  for (int i = 0; i < 4 * k; ++i) {
    combos.row(kept) << i % k, (i / k) % 2, (i / (2 * k)) % 2;
    if (!(skipping && satisfies(combos, kept, skip))) ++kept;
  }
  if (kept == 0) throw std::invalid_argument("letters: the held-out condition leaves no combination");
  const Eigen::Index d = static_cast<Eigen::Index>(resolution) * resolution;
  LabelledPoints out{Points(n, d), Labels(n, 3)};
  for (Eigen::Index i = 0; i < n; ++i) {
    out.labels.row(i) = combos.row(i % kept);
    hopfield::letters::Distortion style = distortion;
    style.shear_offset = out.labels(i, 1) == 1 ? styles.italic_shear : 0.0;
    style.stroke_width = out.labels(i, 2) == 1 ? styles.bold_width : styles.thin_width;
    const std::vector<std::int8_t> image =
        hopfield::letters::render(alphabet[static_cast<std::size_t>(out.labels(i, 0))], resolution, style, stream);
    for (Eigen::Index j = 0; j < d; ++j) out.x(i, j) = image[static_cast<std::size_t>(j)];
  }
  return out;
}

}  // namespace spindiff::diffusion
