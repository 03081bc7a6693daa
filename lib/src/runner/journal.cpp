#include "spindiff/runner/journal.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <map>
#include <sstream>

#include "spindiff/io/sha256.hpp"
#include "spindiff/runner/task_record.hpp"

namespace spindiff::runner {

namespace {
int index_width(std::size_t tasks) {
  return std::max<int>(4, static_cast<int>(std::to_string(tasks == 0 ? 0 : tasks - 1).size()));
}

void flatten(const toml::table& t, const std::string& prefix, std::map<std::string, std::string>& out) {
  for (auto&& [k, node] : t) {
    const std::string path = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (const toml::table* sub = node.as_table(); sub && !sub->is_inline()) {
      flatten(*sub, path, out);
      continue;
    }
    toml::table single;
    single.insert_or_assign("v", node);
    std::ostringstream os;
    os << toml::toml_formatter(single);
    out[path] = os.str();
  }
}
// A checkpoint dataset and its digest: a write cut short by a kill does not match and is not used.
std::string digest(const std::int8_t* data, std::size_t size) {
  return io::to_hex(io::sha256(std::string_view(reinterpret_cast<const char*>(data), size)));
}

std::optional<Bytes> read_checkpoint(const io::Group& g, const std::string& name) {
  if (!g.exists(name)) return std::nullopt;
  try {
    io::Group d = g.object(name);
    if (!d.has_attr("sha256")) return std::nullopt;
    const auto wide = g.read_int64(name);
    std::vector<std::int8_t> narrow(wide.begin(), wide.end());
    if (digest(narrow.data(), narrow.size()) != d.attr_string("sha256")) return std::nullopt;
    return Bytes(reinterpret_cast<const std::uint8_t*>(narrow.data()),
                 reinterpret_cast<const std::uint8_t*>(narrow.data()) + narrow.size());
  } catch (const std::exception&) {
    return std::nullopt;
  }
}
}  // namespace

std::optional<std::string> first_difference(const std::string& toml_a, const std::string& toml_b) {
  std::map<std::string, std::string> a, b;
  flatten(toml::parse(toml_a), "", a);
  flatten(toml::parse(toml_b), "", b);
  auto ia = a.begin();
  auto ib = b.begin();
  while (ia != a.end() || ib != b.end()) {
    if (ib == b.end() || (ia != a.end() && ia->first < ib->first)) return ia->first;
    if (ia == a.end() || ib->first < ia->first) return ib->first;
    if (ia->second != ib->second) return ia->first;
    ++ia, ++ib;
  }
  return std::nullopt;
}

Journal::Journal(std::filesystem::path path, io::File file, int width)
    : path_(std::move(path)), file_(std::move(file)), width_(width) {}

Journal Journal::create(const std::filesystem::path& path, const config::RunConfig& cfg) {
  io::File file = io::File::create(path);
  io::Group root = file.root();
  root.attr("schema", journal_schema);
  root.attr("kind", cfg.kind->name);
  root.attr("task_count", static_cast<std::int64_t>(cfg.tasks.size()));
  root.write_text("config", cfg.resolved_toml);
  root.create_group("tasks");
  // On disk before any task is committed to it, its name in the folder too.
  file.sync();
  io::sync_directory(path.parent_path());
  return Journal(path, std::move(file), index_width(cfg.tasks.size()));
}

Journal Journal::resume(const std::filesystem::path& path, const config::RunConfig& cfg,
                        std::vector<TaskResult>& results, std::vector<Bytes>* checkpoints) {
  io::File file = io::File::open_rw(path);
  io::Group root = file.root();
  if (!root.has_attr("schema") || root.attr_string("schema") != journal_schema)
    throw std::runtime_error(fmt::format("{} is not a spindiff journal", path.string()));
  if (auto key = first_difference(root.read_text("config"), cfg.resolved_toml))
    throw ConfigError(cfg.file, *key,
                      fmt::format("differs from the configuration of the journal {}; resume with the same "
                                  "configuration, or remove the journal to start over",
                                  path.string()));
  // Records are matched by parameter point, so the task numbering may differ from the journal's.
  std::map<std::uint64_t, std::size_t> task_of_point;
  for (std::size_t t = 0; t < cfg.points.size(); ++t) task_of_point[cfg.points[t]] = t;
  io::Group tasks = root.open_group("tasks");
  for (const auto& name : tasks.children()) {
    io::Group g = tasks.open_group(name);
    if (!g.exists("record")) continue;  // a record cut short by a kill
    const auto point = static_cast<std::uint64_t>(g.attr_int64("point"));
    auto it = task_of_point.find(point);
    if (it == task_of_point.end()) continue;
    const auto wide = g.read_int64("record");
    results[it->second] = unpack_task(std::vector<std::int8_t>(wide.begin(), wide.end()));
  }
  if (checkpoints) checkpoints->assign(cfg.tasks.size(), Bytes{});
  if (checkpoints && root.exists("checkpoints")) {
    io::Group saved = root.open_group("checkpoints");
    for (const auto& name : saved.children()) {
      io::Group g = saved.open_group(name);
      auto it = task_of_point.find(static_cast<std::uint64_t>(g.attr_int64("point")));
      if (it == task_of_point.end() || results[it->second].done) continue;
      // The current one; else a replacement flushed completely just before a kill took the old one away.
      std::optional<Bytes> bytes = read_checkpoint(g, "state");
      if (!bytes) bytes = read_checkpoint(g, "state_new");
      if (bytes) (*checkpoints)[it->second] = std::move(*bytes);
    }
  }
  return Journal(path, std::move(file), index_width(cfg.tasks.size()));
}

void Journal::commit(std::size_t task, std::uint64_t point, const TaskResult& result) {
  const auto bytes = pack_task(result);
  io::Group tasks = file_.root().open_group("tasks");
  const std::string name = fmt::format("{:0{}d}", task, width_);
  if (tasks.exists(name)) tasks.remove(name);
  io::Group g = tasks.create_group(name);
  g.attr("task", static_cast<std::int64_t>(task));
  g.attr("point", static_cast<std::int64_t>(point));
  g.write("record", std::span<const std::int8_t>(bytes));
  io::Group root = file_.root();
  if (root.exists("checkpoints") && root.open_group("checkpoints").exists(name))
    root.open_group("checkpoints").remove(name);
  file_.sync();
}

void Journal::save_checkpoint(std::size_t task, std::uint64_t point, const Bytes& checkpoint) {
  io::Group root = file_.root();
  if (!root.exists("checkpoints")) root.create_group("checkpoints");
  io::Group all = root.open_group("checkpoints");
  const std::string name = fmt::format("{:0{}d}", task, width_);
  if (!all.exists(name)) {
    io::Group fresh = all.create_group(name);
    fresh.attr("task", static_cast<std::int64_t>(task));
    fresh.attr("point", static_cast<std::int64_t>(point));
  }
  io::Group g = all.open_group(name);
  const std::span<const std::int8_t> data(reinterpret_cast<const std::int8_t*>(checkpoint.data()), checkpoint.size());
  if (g.exists("state_new")) g.remove("state_new");
  g.write("state_new", data);
  g.object("state_new").attr("sha256", digest(data.data(), data.size()));
  // On disk before the old one goes, so that a power cut, like a kill, leaves one of the two.
  file_.sync();
  if (g.exists("state")) g.remove("state");
  g.rename("state_new", "state");
  file_.sync();
}

}  // namespace spindiff::runner
