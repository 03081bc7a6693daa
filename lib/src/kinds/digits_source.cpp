#include "digits_source.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace spindiff::runner {

std::vector<ParamSpec> digits_params(const std::string& prefix, bool spins) {
  std::vector<ParamSpec> params = {
      file_param(prefix + "digits_path", io::debian_digits_path,
                 "gzipped CSV of the UCI handwritten digits, 64 grey levels 0-16 and the label per line (shipped by "
                 "the Debian package python3-sklearn: apt-get install python3-sklearn)"),
      real_param(prefix + "threshold", 8.0, 0.0, 17.0,
                 "±1 view: a pixel is ink (+1) where its grey level (0-16) reaches this"),
      real_param(prefix + "test_fraction", 1.0 / 3.0, 0.0, 1.0,
                 "fraction of each digit class held out as the test part (seeded, stratified, the same in every "
                 "kind for the same seed and repeat)"),
  };
  if (!spins) params.erase(params.begin() + 1);
  return params;
}

void validate_digits(const Params& p, const std::string& prefix) {
  const std::string& path = p.string(prefix + "digits_path");
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw ConfigError("", prefix + "digits_path", io::missing_digits_message(path));
}

io::Digits load_digits(const Params& p, const std::string& prefix) {
  return io::read_digits(p.string(prefix + "digits_path"));
}

io::Split digits_split(const Params& p, const io::Digits& d, const TaskContext& ctx, std::uint32_t repeat,
                       const std::string& prefix) {
  return io::stratified_split(d.labels, p.real(prefix + "test_fraction"), ctx.seed, repeat);
}

LabelledDigits digit_points(const Params& p, std::size_t n, Stream& stream, const std::string& prefix) {
  const io::Digits d = load_digits(p, prefix);
  const io::Split split =
      io::stratified_split(d.labels, p.real(prefix + "test_fraction"), stream.id().seed, stream.id().repeat);
  const bool held_out = stream.id().purpose == static_cast<std::uint32_t>(Purpose::evaluation);
  std::vector<std::size_t> rows = held_out ? split.test : split.train;
  if (!held_out && n > rows.size())
    throw std::invalid_argument("asked for " + std::to_string(n) + " training digits; the training part holds " +
                                std::to_string(rows.size()));
  stream.shuffle(std::span<std::size_t>(rows));
  rows.resize(std::min(n, rows.size()));
  LabelledDigits out{
      Eigen::MatrixXd(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(io::Digits::pixels)), {}};
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const std::vector<double> g = io::grey(d.image(rows[k]));
    for (std::size_t i = 0; i < g.size(); ++i) out.x(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(i)) = g[i];
    out.digit.push_back(d.labels[rows[k]]);
  }
  return out;
}

std::size_t digits_training_size(const Params& p, const std::string& prefix) {
  const io::Digits d = load_digits(p, prefix);
  return io::stratified_split(d.labels, p.real(prefix + "test_fraction"), 0, 0).train.size();
}

}  // namespace spindiff::runner
