#include "digits_source.hpp"

#include <filesystem>
#include <system_error>

namespace spindiff::runner {

std::vector<ParamSpec> digits_params(const std::string& prefix) {
  return {
      file_param(prefix + "digits_path", io::debian_digits_path,
                 "gzipped CSV of the UCI handwritten digits, 64 grey levels 0-16 and the label per line (Debian "
                 "package python3-sklearn)"),
      real_param(prefix + "threshold", 8.0, 0.0, 17.0,
                 "±1 view: a pixel is ink (+1) where its grey level (0-16) reaches this"),
      real_param(prefix + "test_fraction", 1.0 / 3.0, 0.0, 1.0,
                 "fraction of each digit class held out as the test part (seeded, stratified, the same in every "
                 "kind for the same seed and repeat)"),
  };
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

}  // namespace spindiff::runner
