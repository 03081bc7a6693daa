#pragma once
// Checks on the output path made before any compute: an existing file is kept unless forced, the
// configuration file is never the output, and the folder must accept a new file.
#include <filesystem>
#include <optional>
#include <string>

namespace spindiff::cli {

// Empty when the output may be written; otherwise the reason (the caller exits 2). Creates the folder.
std::optional<std::string> check_output(const std::filesystem::path& output, const std::filesystem::path& config,
                                        bool force);

}  // namespace spindiff::cli
