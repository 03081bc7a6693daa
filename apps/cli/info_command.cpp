#include <fmt/format.h>

#include <cmath>

#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "spindiff/io/hdf5.hpp"

namespace spindiff::cli {

namespace {
std::string cell(double v) {
  if (std::isnan(v)) return "nan";
  if (v == std::floor(v) && std::abs(v) < 1e15) return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{:.6g}", v);
}

// The summary as an aligned text table (columns in the order of the /summary `columns` attribute).
void print_summary(const io::Group& summary) {
  std::vector<std::string> names =
      summary.has_attr("columns") ? summary.attr_strings("columns") : summary.children();
  std::vector<std::vector<std::string>> cols;
  std::size_t rows = 0;
  for (const auto& n : names) {
    std::vector<std::string> c;
    if (summary.element_type(n) == io::ElementType::string) {
      c = summary.read_strings(n);
    } else {
      for (double v : summary.read_doubles(n)) c.push_back(cell(v));
    }
    rows = std::max(rows, c.size());
    cols.push_back(std::move(c));
  }
  std::vector<std::size_t> width;
  for (std::size_t j = 0; j < names.size(); ++j) {
    std::size_t w = names[j].size();
    for (const auto& s : cols[j]) w = std::max(w, s.size());
    width.push_back(w);
  }
  for (std::size_t j = 0; j < names.size(); ++j) fmt::print("{:>{}}  ", names[j], width[j]);
  fmt::print("\n");
  const std::size_t shown = std::min<std::size_t>(rows, 200);
  for (std::size_t i = 0; i < shown; ++i) {
    for (std::size_t j = 0; j < names.size(); ++j)
      fmt::print("{:>{}}  ", i < cols[j].size() ? cols[j][i] : "", width[j]);
    fmt::print("\n");
  }
  if (shown < rows) fmt::print("... {} more rows (read them with h5py or h5dump)\n", rows - shown);
}
}  // namespace

int info_command(const std::string& file, bool show_config, bool show_tasks) {
  try {
    io::File f = io::File::open_read(file);
    io::Group root = f.root();
    if (!root.has_attr("schema")) {
      fmt::print(stderr, "spindiff: {}: not a spindiff result file (no 'schema' attribute)\n", file);
      return exit_usage;
    }
    fmt::print("{}\n", file);
    for (const auto& name : root.attribute_names()) fmt::print("  {:<20} {}\n", name, root.attr_text(name));
    if (show_config && root.exists("config")) fmt::print("\n[config]\n{}\n", root.read_text("config"));
    if (root.exists("summary")) {
      fmt::print("\n[summary]\n");
      print_summary(root.open_group("summary"));
    }
    if (show_tasks && root.exists("tasks")) {
      io::Group tasks = root.open_group("tasks");
      for (const auto& t : tasks.children()) {
        io::Group g = tasks.open_group(t);
        fmt::print("\n[tasks/{}]\n", t);
        for (const auto& a : g.attribute_names()) fmt::print("  @{} = {}\n", a, g.attr_text(a));
        for (const auto& d : g.children()) {
          if (g.is_group(d)) {
            fmt::print("  {}/ ({} entries)\n", d, g.open_group(d).children().size());
          } else {
            fmt::print("  {} {}\n", d, fmt::join(g.shape(d), "x"));
          }
        }
      }
    }
    if (root.exists("theory")) fmt::print("\n[theory] {}\n", fmt::join(root.open_group("theory").children(), ", "));
  } catch (const std::exception& e) {
    fmt::print(stderr, "spindiff: cannot read {}: {}\n", file, e.what());
    return exit_usage;
  }
  return exit_ok;
}

}  // namespace spindiff::cli
