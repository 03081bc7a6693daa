// Parameter-keyed streams, the recorded configuration, --set semantics, output safety, the journal
// and --resume, exercised through the command line in-process.
#include <catch2/catch.hpp>
#include <fstream>
#include <map>

#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "spindiff/io/content_digest.hpp"
#include "spindiff/io/hdf5.hpp"
#include "spindiff/io/sha256.hpp"
#include "spindiff/kinds/all_kinds.hpp"
#include "spindiff/runner/journal.hpp"
#include "spindiff/runner/point.hpp"
#include "spindiff/runner/task_record.hpp"
#include "test_kinds.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using spindiff::io::File;
using spindiff::io::Group;

namespace {
int cli(std::vector<std::string> args) {
  spindiff::test::register_test_kinds();
  args.insert(args.begin(), "spindiff");
  if (args.size() > 1 && (args[1] == "run" || args[1] == "rerun")) args.insert(args.begin() + 2, "--quiet");
  return spindiff::cli::main(args);
}

fs::path write_file(const fs::path& p, const std::string& text) {
  std::ofstream(p) << text;
  return p;
}

// Per task: its parameter values (mean, label) and the bits of its datasets.
std::map<std::string, std::string> by_point(const fs::path& file) {
  std::map<std::string, std::string> out;
  auto f = File::open_read(file);
  Group tasks = f.root().open_group("tasks");
  for (const auto& t : tasks.children()) {
    Group g = tasks.open_group(t);
    const std::string point = g.attr_text("mean") + "|" + g.attr_text("label") + "|" + g.attr_text("n");
    auto v = g.read_doubles("first_draws");
    out[point] = std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(double));
  }
  return out;
}

std::map<std::string, std::string> all_datasets(const Group& g, const std::string& prefix = "") {
  std::map<std::string, std::string> out;
  for (const auto& name : g.children()) {
    if (g.is_group(name)) {
      for (auto& kv : all_datasets(g.open_group(name), prefix + "/" + name)) out.insert(kv);
    } else if (g.element_type(name) == spindiff::io::ElementType::string) {
      std::string all;
      for (const auto& s : g.read_strings(name)) all += s + '\0';
      out[prefix + "/" + name] = all;
    } else {
      auto v = g.read_doubles(name);
      out[prefix + "/" + name] = std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(double));
    }
  }
  return out;
}

std::map<std::string, std::string> datasets(const fs::path& file) {
  auto f = File::open_read(file);
  auto root = f.root();
  auto out = all_datasets(root.open_group("summary"), "/summary");
  for (auto& kv : all_datasets(root.open_group("tasks"), "/tasks")) out.insert(kv);
  return out;
}

const char* base =
    "kind = 'test.gaussian'\nseed = 9\nrepeats = 2\nn = 50\n[sweep]\nmean = [0.5, 1.5]\nlabel = ['a', 'b']\n";
}  // namespace

TEST_CASE("sha256 of known messages", "[durable]") {
  using spindiff::io::sha256;
  using spindiff::io::to_hex;
  CHECK(to_hex(sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(to_hex(sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(to_hex(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("streams follow the parameter point: reordered keys, an extended sweep, a subset", "[durable]") {
  auto dir = spindiff::test::scratch_dir("durable_points");
  REQUIRE(cli({"run", write_file(dir / "a.toml", base).string(), "-o", (dir / "a.h5").string()}) == 0);
  const auto a = by_point(dir / "a.h5");
  REQUIRE(a.size() == 4);
  // Keys and sweep entries in another order, a value listed the other way round, one more value.
  const char* reordered =
      "n = 50\nrepeats = 2\nkind = 'test.gaussian'\nseed = 9\n[sweep]\nlabel = ['b', 'c', 'a']\nmean = [1.5, 0.5]\n";
  REQUIRE(cli({"run", write_file(dir / "b.toml", reordered).string(), "-o", (dir / "b.h5").string()}) == 0);
  const auto b = by_point(dir / "b.h5");
  CHECK(b.size() == 6);
  for (const auto& [point, bits] : a) CHECK(b.at(point) == bits);
  // A subset by --set, and a point that differs in a parameter that is not swept (n) differs.
  REQUIRE(cli({"run", (dir / "a.toml").string(), "-o", (dir / "c.h5").string(), "--set", "sweep.mean=[1.5]"}) == 0);
  const auto c = by_point(dir / "c.h5");
  CHECK(c.size() == 2);
  for (const auto& [point, bits] : c) CHECK(a.at(point) == bits);
  REQUIRE(cli({"run", (dir / "a.toml").string(), "-o", (dir / "d.h5").string(), "--set", "n=51"}) == 0);
  for (const auto& [point, bits] : by_point(dir / "d.h5")) {
    auto p = point.substr(0, point.rfind('|')) + "|50";
    CHECK(a.at(p).substr(0, 80) != bits.substr(0, 80));
  }
}

TEST_CASE("/config is the configuration as run; rerun reproduces every dataset", "[durable]") {
  auto dir = spindiff::test::scratch_dir("durable_rerun");
  auto cfg = write_file(dir / "a.toml", base);
  REQUIRE(cli({"run", cfg.string(), "-o", (dir / "a.h5").string(), "--set", "sweep.n=[40, 50]", "--set", "label=c",
               "--set", "sweep.label=['c', 'a']"}) == 0);
  std::string recorded;
  {
    auto f = File::open_read(dir / "a.h5");
    recorded = f.root().read_text("config");
  }
  // The order written: mean before the swept n (which replaced the fixed one), label last.
  CHECK(recorded.find("mean") < recorded.find("label = ["));
  CHECK(recorded.find("n = [40, 50]") != std::string::npos);
  REQUIRE(cli({"rerun", (dir / "a.h5").string(), "-o", (dir / "b.h5").string()}) == 0);
  CHECK(datasets(dir / "a.h5") == datasets(dir / "b.h5"));
  // The recorded text run as a configuration file from another folder gives the same datasets too (with no
  // input files; relative input paths resolve against the configuration's folder, which only rerun keeps:
  // tests/scripts/provenance.sh).
  fs::create_directories(dir / "elsewhere");
  auto again = write_file(dir / "elsewhere" / "again.toml", recorded);
  REQUIRE(cli({"run", again.string(), "-o", (dir / "c.h5").string()}) == 0);
  CHECK(datasets(dir / "a.h5") == datasets(dir / "c.h5"));
}

TEST_CASE("set overrides: a swept key becomes fixed, a fixed key swept, invalid TOML is an error", "[durable]") {
  auto dir = spindiff::test::scratch_dir("durable_set");
  auto cfg = write_file(dir / "a.toml", base);
  REQUIRE(cli({"run", cfg.string(), "-o", (dir / "a.h5").string(), "--set", "mean=3"}) == 0);
  {
    auto f = File::open_read(dir / "a.h5");
    CHECK(f.root().open_group("summary").read_doubles("mean") == std::vector<double>{3, 3});
  }
  REQUIRE(cli({"run", cfg.string(), "-o", (dir / "b.h5").string(), "--set", "sweep.n=[10, 20, 30]"}) == 0);
  {
    auto f = File::open_read(dir / "b.h5");
    CHECK(f.root().open_group("tasks").children().size() == 12);
  }
  for (const char* bad : {"n=[1,2", "mean=.5", "mean=1.5.2", "label='a"}) {
    CHECK(cli({"run", cfg.string(), "-o", (dir / "x.h5").string(), "--set", bad}) == 2);
    CHECK_FALSE(fs::exists(dir / "x.h5"));
  }
}

TEST_CASE("an error in a key given by --set names the --set argument, not the configuration file", "[durable]") {
  auto dir = spindiff::test::scratch_dir("durable_set_blame");
  auto cfg = write_file(dir / "a.toml", base);
  // The file the error names, and its key.
  auto blamed = [&](std::vector<std::string> sets) -> std::pair<std::string, std::string> {
    try {
      spindiff::test::register_test_kinds();
      spindiff::config::load_run_config(cfg, sets, spindiff::runner::all_kinds());
    } catch (const spindiff::runner::ConfigError& e) {
      return {e.file(), e.key()};
    }
    return {"(no error)", ""};
  };
  using P = std::pair<std::string, std::string>;
  CHECK(blamed({"n=[1,2"}) == P{"--set n=[1,2", "n"});       // not TOML
  CHECK(blamed({"mean=.5"}) == P{"--set mean=.5", "mean"});  // not TOML either
  CHECK(blamed({"maen=1"}) == P{"--set maen=1", "maen"});    // unknown key
  CHECK(blamed({"sweep.maen=[1]"}) == P{"--set sweep.maen=[1]", "sweep.maen"});
  CHECK(blamed({"n=0"}) == P{"--set n=0", "n"});  // out of range
  CHECK(blamed({"sweep.n=[10, 0]"}) == P{"--set sweep.n=[10, 0]", "sweep.n"});
  CHECK(blamed({"n=10", "maen=1"}) == P{"--set maen=1", "maen"});  // the argument at fault among several
  // A bad key of the file itself is still the file's, whatever --set adds.
  auto bad = write_file(dir / "bad.toml", "kind = 'test.gaussian'\nmaen = 1\n");
  try {
    spindiff::config::load_run_config(bad, {"n=10"}, spindiff::runner::all_kinds());
    FAIL("an unknown key was accepted");
  } catch (const spindiff::runner::ConfigError& e) {
    CHECK(e.file() == bad.string());
    CHECK(e.key() == "maen");
  }
  // Replacing a sweep by a fixed value is announced (the command line prints these notes on stderr).
  auto c = spindiff::config::load_run_config(cfg, {"mean=3"}, spindiff::runner::all_kinds());
  REQUIRE(c.notes.size() == 1);
  CHECK(c.notes[0] == "--set mean=3: replaces the sweep over 'mean' (now fixed)");
  CHECK(c.tasks.size() == 2);
}

TEST_CASE("walltime durations: seconds, or a number with s, m, h or d", "[durable]") {
  using spindiff::cli::parse_duration;
  CHECK(parse_duration("90m") == 5400.0);
  CHECK(parse_duration("2h") == 7200.0);
  CHECK(parse_duration("45s") == 45.0);
  CHECK(parse_duration("3600") == 3600.0);
  CHECK(parse_duration("1.5h") == 5400.0);
  CHECK(parse_duration("0.5d") == 43200.0);
  for (const char* bad : {"", "soon", "m", "90 m", "-5m", "0", "2hours", "1e400"})
    CHECK_FALSE(parse_duration(bad).has_value());
}

TEST_CASE("output safety: checked before any compute", "[durable]") {
  auto dir = spindiff::test::scratch_dir("durable_safety");
  auto cfg = write_file(dir / "a.toml", base);
  auto out = dir / "a.h5";
  write_file(out, "not a result file");
  CHECK(cli({"run", cfg.string(), "-o", out.string()}) == 2);  // exists
  CHECK_FALSE(fs::exists(dir / "a.partial.h5"));
  {
    std::ifstream in(out);
    std::string text;
    std::getline(in, text);
    CHECK(text == "not a result file");
  }
  CHECK(cli({"run", cfg.string(), "-o", cfg.string()}) == 2);                        // the config itself
  CHECK(cli({"run", cfg.string(), "-o", cfg.string(), "--force"}) == 2);             // never, even forced
  CHECK(cli({"run", cfg.string(), "-o", (dir / "a.toml" / "x.h5").string()}) == 2);  // not a folder
  CHECK(cli({"run", cfg.string(), "-o", dir.string()}) == 2);                        // a folder
  CHECK(cli({"run", cfg.string(), "-o", out.string(), "--force"}) == 0);
  CHECK(cli({"run", cfg.string(), "-o", out.string(), "--walltime", "soon"}) == 2);
}

TEST_CASE("resume takes the journaled tasks and gives the uninterrupted datasets", "[durable]") {
  auto dir = spindiff::test::scratch_dir("durable_resume");
  auto cfg = write_file(dir / "a.toml", base);
  REQUIRE(cli({"run", cfg.string(), "-o", (dir / "full.h5").string()}) == 0);
  // A journal with two tasks, as a run killed after them would leave.
  {
    auto c = spindiff::config::load_run_config(cfg, {}, spindiff::runner::all_kinds());
    auto j = spindiff::runner::Journal::create(dir / "cut.partial.h5", c);
    for (std::size_t t : {3, 1}) {
      spindiff::runner::TaskResult r;
      r.output = spindiff::runner::run_task(c, t);
      r.done = true;
      j.commit(t, c.points[t], r);
    }
  }
  REQUIRE(cli({"run", cfg.string(), "-o", (dir / "cut.h5").string(), "--resume", "--threads", "2"}) == 0);
  CHECK_FALSE(fs::exists(dir / "cut.partial.h5"));
  CHECK(datasets(dir / "full.h5") == datasets(dir / "cut.h5"));
  auto f = File::open_read(dir / "cut.h5");
  CHECK(f.root().attr_int64("tasks_resumed") == 2);
}

TEST_CASE("a task record reads back exactly", "[durable]") {
  spindiff::runner::TaskResult r;
  r.done = true;
  r.seconds = 0.25;
  r.output.scalar("x", 1.0 / 3.0, 0.5);
  r.output.label("name", "hebb");
  r.output.array("a", std::vector<double>{1, 2, 3, 4}, {2, 2}).doc("a matrix");
  r.output.array("b", std::vector<std::int8_t>{-1, 1});
  r.output.array("c", std::vector<std::string>{"p", "q"});
  r.output.attribute("list", std::vector<double>{0.1, 0.2});
  r.output.attribute("flag", true);
  const auto back = spindiff::runner::unpack_task(spindiff::runner::pack_task(r));
  CHECK(spindiff::runner::pack_task(back) == spindiff::runner::pack_task(r));
  CHECK(back.output.columns().size() == 3);
  CHECK(std::get<double>(back.output.columns()[0].second) == 1.0 / 3.0);
  CHECK(back.output.arrays()[0].second.shape == std::vector<std::size_t>{2, 2});
  auto bytes = spindiff::runner::pack_task(r);
  bytes.pop_back();
  CHECK_THROWS(spindiff::runner::unpack_task(bytes));
}

TEST_CASE("task slices merge into the file of one run", "[durable]") {
  auto dir = spindiff::test::scratch_dir("durable_slices");
  auto cfg = write_file(dir / "a.toml", base);
  REQUIRE(cli({"run", cfg.string(), "-o", (dir / "full.h5").string()}) == 0);
  REQUIRE(cli({"run", cfg.string(), "-o", (dir / "p1.h5").string(), "--tasks", "0:1"}) == 0);
  REQUIRE(cli({"run", cfg.string(), "-o", (dir / "p2.h5").string(), "--tasks", "1:4"}) == 0);
  {
    auto f = File::open_read(dir / "p2.h5");
    CHECK(f.root().open_group("tasks").children() == std::vector<std::string>{"0001", "0002", "0003"});
  }
  // The slice's datasets are those of the same tasks in the whole run.
  const auto whole = by_point(dir / "full.h5");
  for (const auto& [point, bits] : by_point(dir / "p2.h5")) CHECK(whole.at(point) == bits);
  REQUIRE(cli({"merge", (dir / "merged.h5").string(), (dir / "p2.h5").string(), (dir / "p1.h5").string()}) == 0);
  CHECK(datasets(dir / "merged.h5") == datasets(dir / "full.h5"));
  {
    auto slice = File::open_read(dir / "p2.h5");
    CHECK(slice.root().attr_int64("task_slice_start") == 1);
    CHECK(slice.root().attr_int64("task_slice_stop") == 4);
    CHECK(slice.root().attr_int64("task_count") == 4);
    CHECK(slice.root().open_group("records").children() == std::vector<std::string>{"0001", "0002", "0003"});
    auto merged = File::open_read(dir / "merged.h5");
    CHECK_FALSE(merged.root().has_attr("task_slice_start"));
    CHECK_FALSE(merged.root().exists("records"));
    CHECK(merged.root().attr_int64("mpi_ranks") == 1);
    CHECK(merged.root().attr_int64("tasks_resumed") == 0);
    CHECK(merged.root().attr_int64("complete") == 1);
  }
  // Missing tasks, another configuration, an existing output, a bad slice: refused.
  CHECK(cli({"merge", (dir / "m2.h5").string(), (dir / "p2.h5").string()}) == 2);
  REQUIRE(cli({"run", cfg.string(), "-o", (dir / "other.h5").string(), "--tasks", "0:1", "--set", "seed=10"}) == 0);
  CHECK(cli({"merge", (dir / "m3.h5").string(), (dir / "p2.h5").string(), (dir / "other.h5").string()}) == 2);
  CHECK(cli({"merge", (dir / "merged.h5").string(), (dir / "p2.h5").string(), (dir / "p1.h5").string()}) == 2);
  CHECK_FALSE(fs::exists(dir / "m2.h5"));
  CHECK_FALSE(fs::exists(dir / "m3.h5"));
  for (const char* bad : {"3:2", "0:5", "x:1", "2"})
    CHECK(cli({"run", cfg.string(), "-o", (dir / "bad.h5").string(), "--tasks", bad}) == 2);
}

TEST_CASE("an HDF5 input enters the streams by its datasets, not by the run that wrote it", "[durable]") {
  using spindiff::io::input_content_digest;
  auto dir = spindiff::test::scratch_dir("durable_input_digest");
  const std::vector<double> w = {0.25, -1.5, 3.0};
  // The same datasets written twice, in another order and with other run attributes: one content.
  auto write = [&](const fs::path& p, bool reversed, const std::string& created, double last) {
    auto f = File::create(p);
    Group root = f.root();
    root.attr("created_utc", created);
    std::vector<double> values = w;
    values.back() = last;
    if (!reversed) root.write_text("config", "kind = 'x'\n");
    Group task = root.create_group("tasks/0000");
    task.attr("seconds", created == "early" ? 1.0 : 2.0);
    task.write("weights", std::span<const double>(values));
    if (reversed) root.write_text("config", "kind = 'x'\n");
    return p;
  };
  const auto a = input_content_digest(write(dir / "a.h5", false, "early", 3.0));
  const auto b = input_content_digest(write(dir / "b.h5", true, "late", 3.0));
  const auto c = input_content_digest(write(dir / "c.h5", false, "early", 3.0000000000000004));
  CHECK(a == b);
  CHECK(a != c);
  CHECK(spindiff::io::sha256_file(dir / "a.h5") != spindiff::io::sha256_file(dir / "b.h5"));
  // Any other file by its bytes.
  const auto text = write_file(dir / "data.txt", "1 2 3\n");
  CHECK(input_content_digest(text) == spindiff::io::sha256_file(text));

  // The parameter point follows: equal for a and b, different for c; provenance keeps each file's bytes.
  auto point = [&](const std::string& weights) {
    const auto cfg = write_file(dir / "p.toml", "kind = 'langevin.boltzmann'\nweights = '" + weights + "'\n");
    auto c = spindiff::config::load_run_config(cfg, {}, spindiff::runner::all_kinds());
    REQUIRE(c.inputs.size() == 1);
    CHECK(c.inputs[0].sha256 == spindiff::io::sha256_file(dir / weights));
    return c.points.at(0);
  };
  CHECK(point("a.h5") == point("b.h5"));
  CHECK(point("a.h5") != point("c.h5"));
}

TEST_CASE("a parameter declared unkeyed_at_default names the point only when set away from its default", "[durable]") {
  using namespace spindiff::runner;
  const auto no_digest = [](const std::string&) { return std::string(); };
  const std::vector<ParamSpec> before = {real_param("mean", 0.0, std::nullopt, std::nullopt, "")};
  std::vector<ParamSpec> after = before;
  after.push_back(unkeyed_at_default(bool_param("extra", false, "")));
  after.push_back(integer_param("keyed", 3, 0, 10, ""));
  const Params old_params(&before, {{"mean", 1.5}});
  const Params at_default(&after, {{"mean", 1.5}, {"extra", false}, {"keyed", std::int64_t{3}}});
  const Params set(&after, {{"mean", 1.5}, {"extra", true}, {"keyed", std::int64_t{3}}});
  // An ordinary new parameter enters the point even at its default; the unkeyed one does not.
  CHECK(parameter_point_text(at_default, no_digest) == "keyed = 3\n" + parameter_point_text(old_params, no_digest));
  CHECK(parameter_point_text(set, no_digest).find("extra = true\n") != std::string::npos);
  CHECK(parameter_point_key(parameter_point_text(set, no_digest)) !=
        parameter_point_key(parameter_point_text(at_default, no_digest)));
}
