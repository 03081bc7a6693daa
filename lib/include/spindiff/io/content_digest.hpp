#pragma once
// The digest of an input file's content, as a task's random streams see it. An HDF5 file (a spindiff
// result such as trained weights) is digested over its datasets only: the values, shapes and types of
// every dataset, sorted by path. Its attributes — creation time, host, run time, absolute paths — describe
// the run that wrote it, so retraining the same weights with the same seed gives the same digest and the
// runs that read them the same streams. Any other file is digested over its bytes.
#include <filesystem>
#include <string>

namespace spindiff::io {

// Lower-case hex SHA-256; throws std::runtime_error naming the path if the file cannot be read.
std::string input_content_digest(const std::filesystem::path& path);

}  // namespace spindiff::io
