#include "cli/cli.hpp"

int main(int argc, char** argv) { return spindiff::cli::main(std::vector<std::string>(argv, argv + argc)); }
