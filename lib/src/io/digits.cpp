#include "spindiff/io/digits.hpp"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <system_error>

namespace spindiff::io {

namespace {

// The split's stream belongs to the data set, not to a task: task word all ones, its own purpose.
constexpr std::uint32_t kRunLevelTask = 0xFFFFFFFFu;
constexpr auto kSplitPurpose = static_cast<Purpose>(static_cast<std::uint32_t>(Purpose::user) + 1);

struct GzCloser {
  void operator()(gzFile_s* f) const { gzclose(f); }
};

// The whole (decompressed) file; gzread passes plain files through unchanged.
std::string read_all(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw std::runtime_error(missing_digits_message(path));
  std::unique_ptr<gzFile_s, GzCloser> f(gzopen(path.c_str(), "rb"));
  if (!f) throw std::runtime_error("cannot open the digits file " + path.string());
  std::string text;
  char buffer[1 << 15];
  for (;;) {
    const int n = gzread(f.get(), buffer, sizeof buffer);
    if (n < 0) {
      int code = 0;
      const char* why = gzerror(f.get(), &code);
      throw std::runtime_error("cannot decompress the digits file " + path.string() + ": " + why);
    }
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  return text;
}

// One CSV field as a small non-negative integer (the file writes levels and labels as integers, or as
// integral reals such as "16.0").
int parse_field(std::string_view field, const std::filesystem::path& path, std::size_t line) {
  while (!field.empty() && (field.front() == ' ' || field.front() == '\t')) field.remove_prefix(1);
  while (!field.empty() && (field.back() == ' ' || field.back() == '\t' || field.back() == '\r'))
    field.remove_suffix(1);
  int value = 0;
  std::size_t i = 0;
  for (; i < field.size() && field[i] >= '0' && field[i] <= '9'; ++i) {
    value = value * 10 + (field[i] - '0');
    if (value > 1000) break;
  }
  bool ok = i > 0;
  if (ok && i < field.size()) {  // an optional ".0..."
    ok = field[i] == '.';
    for (++i; ok && i < field.size(); ++i) ok = field[i] == '0';
  }
  if (!ok)
    throw std::runtime_error(path.string() + ", line " + std::to_string(line) + ": '" + std::string(field) +
                             "' is not a grey level or label");
  return value;
}

}  // namespace

std::string missing_digits_message(const std::filesystem::path& path) {
  return "digits data not found: " + path.string() +
         " (it ships with the Debian package python3-sklearn: apt-get install python3-sklearn; or set "
         "digits_path to a copy of digits.csv.gz)";
}

Digits read_digits(const std::filesystem::path& path) {
  const std::string text = read_all(path);
  Digits d;
  std::size_t line = 0, start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view row(text.data() + start, end - start);
    start = end + 1;
    ++line;
    if (row.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    std::size_t fields = 0;
    for (std::size_t pos = 0;; ++fields) {
      const std::size_t comma = row.find(',', pos);
      const int v = parse_field(row.substr(pos, comma == std::string_view::npos ? row.npos : comma - pos), path, line);
      if (fields < Digits::pixels) {
        if (v > Digits::max_level)
          throw std::runtime_error(path.string() + ", line " + std::to_string(line) + ": grey level " +
                                   std::to_string(v) + " outside 0..16");
        d.levels.push_back(static_cast<std::uint8_t>(v));
      } else if (fields == Digits::pixels) {
        if (v >= Digits::classes)
          throw std::runtime_error(path.string() + ", line " + std::to_string(line) + ": label " + std::to_string(v) +
                                   " outside 0..9");
        d.labels.push_back(v);
      }
      if (comma == std::string_view::npos) break;
      pos = comma + 1;
    }
    if (fields + 1 != Digits::pixels + 1)
      throw std::runtime_error(path.string() + ", line " + std::to_string(line) + ": " + std::to_string(fields + 1) +
                               " fields, expected 65 (64 grey levels and the label)");
  }
  if (d.labels.empty()) throw std::runtime_error("the digits file " + path.string() + " holds no rows");
  return d;
}

std::vector<std::int8_t> binarize(std::span<const std::uint8_t> levels, double threshold) {
  std::vector<std::int8_t> s(levels.size());
  std::transform(levels.begin(), levels.end(), s.begin(),
                 [threshold](std::uint8_t v) { return static_cast<std::int8_t>(v >= threshold ? 1 : -1); });
  return s;
}

std::vector<double> grey(std::span<const std::uint8_t> levels) {
  std::vector<double> x(levels.size());
  std::transform(levels.begin(), levels.end(), x.begin(),
                 [](std::uint8_t v) { return 2.0 * v / Digits::max_level - 1.0; });
  return x;
}

Split stratified_split(std::span<const std::int64_t> labels, double test_fraction, std::uint64_t seed,
                       std::uint32_t split) {
  if (!(test_fraction >= 0.0 && test_fraction <= 1.0)) throw std::invalid_argument("test_fraction must lie in [0, 1]");
  Stream stream(seed, kRunLevelTask, split, kSplitPurpose);
  std::vector<bool> is_test(labels.size(), false);
  const std::int64_t top = labels.empty() ? -1 : *std::max_element(labels.begin(), labels.end());
  for (std::int64_t c = 0; c <= top; ++c) {
    std::vector<std::size_t> members;
    for (std::size_t i = 0; i < labels.size(); ++i)
      if (labels[i] == c) members.push_back(i);
    stream.shuffle(std::span<std::size_t>(members));
    const auto n_test = static_cast<std::size_t>(std::lround(test_fraction * static_cast<double>(members.size())));
    for (std::size_t k = 0; k < n_test; ++k) is_test[members[k]] = true;
  }
  Split s;
  for (std::size_t i = 0; i < labels.size(); ++i) (is_test[i] ? s.test : s.train).push_back(i);
  return s;
}

}  // namespace spindiff::io
