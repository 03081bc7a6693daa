#pragma once
// model = edges: any sparse pairwise model read from an edge-list file ('i j J_ij' per line).
#include <filesystem>
#include <fstream>
#include <sstream>

#include "model_table.hpp"

namespace spindiff::runner::spins_kinds {

struct EdgesModel {
  using Model = spins::SparseCouplings;
  static constexpr const char* name = "edges";
  static constexpr const char* size_param = "edges";

  static std::vector<ParamSpec> params() {
    return {
        string_param("edges", "",
                     "edge-list file, 'i j J_ij' per line (model = edges; see docs/theory/monte-carlo.md)"),
    };
  }
  static mc::ModelFacts facts(const Params&) {
    mc::ModelFacts f;
    f.bonds = true;  // field and signs are known once the file is read
    return f;
  }
  static std::optional<double> spin_count(const Params&) { return std::nullopt; }  // known once the file is read
  static void check_size(const Params&) {}
  static Built<Model> build(const Params& p, const TaskContext& ctx, std::uint32_t, TaskOutput*) {
    // The parser is pure; the file is read here.
    std::filesystem::path path = p.string("edges");
    if (path.empty()) throw ConfigError("", "edges", "model = edges needs an edge-list file");
    if (path.is_relative()) path = ctx.config_dir / path;
    std::ifstream in(path);
    if (!in) throw ConfigError("", "edges", "cannot read '" + path.string() + "'");
    std::stringstream text;
    text << in.rdbuf();
    return {spins::SparseCouplings(spins::parse_edge_list(text.str())), std::nullopt};
  }
};

}  // namespace spindiff::runner::spins_kinds
