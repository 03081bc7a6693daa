#include "cli/cli.hpp"

namespace spindiff::cli {
int main(const std::vector<std::string>& /*args*/) { return exit_ok; }
}  // namespace spindiff::cli
