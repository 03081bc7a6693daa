#pragma once
// The table of every experiment kind: what the command line lists, describes and hands to the config parser.
// The kinds layer fills it (lib/src/kinds/registry.cpp); the runner and config layers never look it up.
#include <string>
#include <vector>

#include "spindiff/runner/kind.hpp"

namespace spindiff::runner {

// Every kind, in `spindiff list` order.
const std::vector<Kind>& all_kinds();
const Kind* find_kind(const std::string& name);
// Adds a kind at run time (tests, plug-ins); a kind of the same name is replaced.
void register_kind(Kind kind);

}  // namespace spindiff::runner
