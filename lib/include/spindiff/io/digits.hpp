#pragma once
// The UCI optical-recognition handwritten digits (Alpaydin & Kaynak 1998; the 1797-digit test part, as shipped
// by scikit-learn): 8 x 8 images of 17 grey levels (0..16), read from a gzipped CSV of 64 levels and the label
// per line. This is the data source of the digits kinds: the reader, the two views (±1 spins, grey levels in
// [-1, 1]) and the seeded, stratified train/test split every kind shares.
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "spindiff/core/rng.hpp"

namespace spindiff::io {

// Where Debian's python3-sklearn puts the file.
inline constexpr const char* debian_digits_path = "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz";

struct Digits {
  static constexpr std::size_t side = 8;
  static constexpr std::size_t pixels = side * side;
  static constexpr int max_level = 16;
  static constexpr int classes = 10;

  std::vector<std::uint8_t> levels;  // rows x pixels, row-major image rows, 0..max_level
  std::vector<std::int64_t> labels;  // 0..9

  std::size_t rows() const { return labels.size(); }
  std::span<const std::uint8_t> image(std::size_t row) const {
    return std::span<const std::uint8_t>(levels).subspan(row * pixels, pixels);
  }
};

// The message for a missing file: names the path and the package that ships it.
std::string missing_digits_message(const std::filesystem::path& path);

// Reads the gzipped (or plain) CSV. Throws std::runtime_error naming the file (and line) when it is missing,
// unreadable, or a line is not 64 levels in 0..16 plus a label in 0..9.
Digits read_digits(const std::filesystem::path& path);

// ±1 spins: +1 (ink) where the level reaches `threshold`.
std::vector<std::int8_t> binarize(std::span<const std::uint8_t> levels, double threshold);
// Grey levels scaled to [-1, 1]: 2 level / 16 - 1.
std::vector<double> grey(std::span<const std::uint8_t> levels);

// Row indices of the two parts, each in file order.
struct Split {
  std::vector<std::size_t> train;
  std::vector<std::size_t> test;
};

// Stratified split: in each class, round(test_fraction * class size) rows, drawn without replacement from
// a stream keyed by (seed, split) alone, go to the test part. Every kind that uses the same seed and split
// index (the repeat) therefore sees the same parts.
Split stratified_split(std::span<const std::int64_t> labels, double test_fraction, std::uint64_t seed,
                       std::uint32_t split);

}  // namespace spindiff::io
