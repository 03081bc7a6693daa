#include "size_limits.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include "spindiff/runner/params.hpp"

namespace spindiff::runner {

double machine_memory_bytes() {
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? static_cast<double>(pages) * static_cast<double>(page) : 0.0;
}

void check_size_limit(const std::string& key, const std::string& what, double count, double limit) {
  if (count > limit)
    throw ConfigError("", key, fmt::format("{} = {:.4g} exceeds the limit of {:.4g}", what, count, limit));
}

void check_memory(const std::string& key, const std::string& what, double bytes) {
  const double have = machine_memory_bytes();
  if (have > 0 && bytes > have)
    throw ConfigError(
        "", key,
        fmt::format("{} needs about {:.3g} GB of memory; this machine has {:.3g} GB", what, bytes / 1e9, have / 1e9));
}

}  // namespace spindiff::runner
