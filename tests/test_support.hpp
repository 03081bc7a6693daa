#pragma once
// Small helpers shared by the tests.
#include <filesystem>
#include <string>

namespace spindiff::test {

// A fresh scratch folder for one test case, under the build tree.
inline std::filesystem::path scratch_dir(const std::string& name) {
  std::filesystem::path dir = std::filesystem::path(SPINDIFF_TEST_TMP) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline std::filesystem::path source_dir() { return SPINDIFF_SOURCE_DIR; }

}  // namespace spindiff::test
