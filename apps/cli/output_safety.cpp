#include "cli/output_safety.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace spindiff::cli {

namespace fs = std::filesystem;

namespace {
bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  if (fs::exists(a, ec) && fs::exists(b, ec)) return fs::equivalent(a, b, ec);
  return fs::absolute(a).lexically_normal() == fs::absolute(b).lexically_normal();
}
}  // namespace

std::optional<std::string> check_output(const fs::path& output, const fs::path& config, bool force) {
  if (!config.empty() && same_file(output, config))
    return fmt::format("output {} is the configuration file itself; choose another --output", output.string());
  std::error_code ec;
  const auto status = fs::status(output, ec);
  if (fs::is_directory(status)) return fmt::format("output {} is a folder; give a file name", output.string());
  if (fs::exists(status) && !force)
    return fmt::format("output {} exists; add --force to overwrite it (or choose another --output)",
                       output.string());
  fs::path dir = output.parent_path();
  if (dir.empty()) dir = ".";
  fs::create_directories(dir, ec);
  if (ec) return fmt::format("cannot create the output folder {}: {}", dir.string(), ec.message());
  // Write access is proven by creating a file: permission bits alone do not tell (root, read-only mounts).
  std::string probe = (dir / ".spindiff-write-test-XXXXXX").string();
  const int fd = mkstemp(probe.data());
  if (fd < 0)
    return fmt::format("the output folder {} is not writable: {}", dir.string(), std::strerror(errno));
  ::close(fd);
  ::unlink(probe.c_str());
  return std::nullopt;
}

}  // namespace spindiff::cli
