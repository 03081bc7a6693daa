#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <map>

#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include <sstream>
#include "spindiff/io/hdf5.hpp"
#include "spindiff/runner/results_file.hpp"
#include "test_kinds.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using spindiff::io::File;
using spindiff::io::Group;

namespace {
int cli(std::vector<std::string> args) {
  spindiff::test::register_test_kinds();
  args.insert(args.begin(), "spindiff");
  if (args.size() > 1 && args[1] == "run") args.insert(args.begin() + 2, "--quiet");
  return spindiff::cli::main(args);
}

fs::path write_config(const fs::path& dir, const std::string& text) {
  fs::path p = dir / "cfg.toml";
  std::ofstream(p) << text;
  return p;
}

// Every dataset below `g`, as bit patterns (doubles) or text, keyed by path.
void collect(const Group& g, const std::string& prefix, std::map<std::string, std::string>& out) {
  for (const auto& name : g.children()) {
    const std::string path = prefix + "/" + name;
    if (g.is_group(name)) {
      collect(g.open_group(name), path, out);
    } else if (g.element_type(name) == spindiff::io::ElementType::string) {
      std::string all;
      for (const auto& s : g.read_strings(name)) all += s + '\0';
      out[path] = all;
    } else {
      auto v = g.read_doubles(name);
      out[path] = std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(double));
    }
  }
}

std::map<std::string, std::string> datasets(const fs::path& file) {
  std::map<std::string, std::string> out;
  auto f = File::open_read(file);
  auto root = f.root();
  collect(root.open_group("summary"), "/summary", out);
  collect(root.open_group("tasks"), "/tasks", out);
  return out;
}

const char* sweep_config =
    "kind = 'test.gaussian'\nseed = 5\nrepeats = 3\nn = 2000\n[sweep]\nmean = [-1.0, 0.0, 2.5]\nlabel = ['a', 'b']\n";
}  // namespace

TEST_CASE("run writes the documented HDF5 layout", "[cli]") {
  auto dir = spindiff::test::scratch_dir("cli_layout");
  auto cfg = write_config(dir, sweep_config);
  auto out = dir / "out.h5";
  REQUIRE(cli({"run", cfg.string(), "--output", out.string(), "--threads", "2"}) == 0);
  REQUIRE(fs::exists(out));
  auto f = File::open_read(out);
  auto root = f.root();
  CHECK(root.attr_string("schema") == "spindiff/1");
  CHECK(root.attr_string("kind") == "test.gaussian");
  CHECK(root.attr_int64("seed") == 5);
  CHECK(root.attr_int64("threads") == 2);
  for (const char* a : {"spindiff_version", "git_commit", "created_utc", "command_line", "hostname", "compiler",
                        "hdf5_version"})
    CHECK(root.has_attr(a));
  CHECK_THAT(root.read_text("config"), Catch::Contains("test.gaussian"));
  auto summary = root.open_group("summary");
  CHECK(summary.attr_strings("columns") ==
        std::vector<std::string>{"task", "mean", "label", "sample_mean", "sample_mean_err", "label_out"});
  auto means = summary.read_doubles("mean");
  auto sample = summary.read_doubles("sample_mean");
  auto err = summary.read_doubles("sample_mean_err");
  REQUIRE(means.size() == 6);
  for (std::size_t i = 0; i < 6; ++i) {
    // 6000 N(mean, 1) draws: standard error 1/sqrt(6000).
    CHECK(err[i] == Approx(1 / std::sqrt(6000.0)).epsilon(0.05));
    CHECK(std::abs(sample[i] - means[i]) < 4 * err[i]);
  }
  CHECK(summary.read_strings("label_out") == std::vector<std::string>{"a", "b", "a", "b", "a", "b"});
  auto task = root.open_group("tasks/0003");
  CHECK(task.attr_double("mean") == 0.0);
  CHECK(task.attr_string("label") == "b");
  CHECK(task.shape("nested/grid") == std::vector<std::size_t>{2, 3});
  CHECK(task.read_doubles("first_draws").size() == 10);
  CHECK(cli({"info", out.string(), "--tasks", "--config"}) == 0);
}

TEST_CASE("datasets are bit-identical with 1 and 2 threads", "[cli]") {
  auto dir = spindiff::test::scratch_dir("cli_threads");
  auto cfg = write_config(dir, sweep_config);
  REQUIRE(cli({"run", cfg.string(), "-o", (dir / "one.h5").string(), "--threads", "1"}) == 0);
  REQUIRE(cli({"run", cfg.string(), "-o", (dir / "two.h5").string(), "--threads", "2"}) == 0);
  auto a = datasets(dir / "one.h5"), b = datasets(dir / "two.h5");
  CHECK(a.size() > 10);
  CHECK(a == b);
  // A different seed changes the draws.
  REQUIRE(cli({"run", cfg.string(), "-o", (dir / "seed.h5").string(), "--set", "seed=6"}) == 0);
  CHECK(datasets(dir / "seed.h5") != a);
}

TEST_CASE("ising.thermo with repeats as multi-spin replicas: datasets bit-identical with 1 and 2 threads", "[cli]") {
  // 70 repeats per task (a word set of 64 replicas and one of 6), three tasks.
  auto dir = spindiff::test::scratch_dir("cli_threads_replicas");
  auto cfg = write_config(dir,
                          "kind = 'ising.thermo'\nseed = 5\nrepeats = 70\nL = 8\nsweeps = 200\nthermalize = 50\n"
                          "kernel = 'multispin_replicas'\n[sweep]\nT = [2.0, 2.5, 3.0]\n");
  REQUIRE(cli({"run", cfg.string(), "-o", (dir / "one.h5").string(), "--threads", "1"}) == 0);
  REQUIRE(cli({"run", cfg.string(), "-o", (dir / "two.h5").string(), "--threads", "2"}) == 0);
  auto a = datasets(dir / "one.h5"), b = datasets(dir / "two.h5");
  CHECK(a.size() > 10);
  CHECK(a == b);
}

TEST_CASE("bad input exits 2 and leaves no output file", "[cli]") {
  auto dir = spindiff::test::scratch_dir("cli_errors");
  auto out = dir / "out.h5";
  const std::vector<std::string> bad = {"kind = 'test.gaussian'\nmaen = 1\n", "kind = 'test.gaussian'\nmean = 'x'\n",
                                        "kind = 'test.gaussian'\nmean = 1e9\n", "kind = 'test.gaussian'\nmean = \n",
                                        "kind = 'no.such.kind'\n"};
  for (const auto& text : bad) {
    auto cfg = write_config(dir, text);
    CHECK(cli({"run", cfg.string(), "-o", out.string()}) == 2);
    CHECK_FALSE(fs::exists(out));
  }
  CHECK(cli({"run", (dir / "missing.toml").string(), "-o", out.string()}) == 2);
  CHECK(cli({"run", write_config(dir, "kind = 'test.gaussian'\n").string(), "-o", out.string(), "--set", "n=0"}) ==
        2);
  CHECK_FALSE(fs::exists(out));
  CHECK(cli({"run"}) == 2);
  CHECK(cli({"describe", "no.such.kind"}) == 2);
  CHECK(cli({"info", (dir / "missing.h5").string()}) == 2);
  CHECK(fs::is_empty(dir) == false);  // only the config files remain
  for (const auto& e : fs::directory_iterator(dir)) CHECK(e.path().extension() == ".toml");
}

TEST_CASE("a failing task exits 1 and keeps the finished tasks in the journal", "[cli]") {
  auto dir = spindiff::test::scratch_dir("cli_failure");
  auto cfg = write_config(dir, "kind = 'test.gaussian'\nn = 10\nfail_task = 3\n[sweep]\nmean = [0, 1, 2, 3]\n");
  auto out = dir / "out.h5";
  CHECK(cli({"run", cfg.string(), "-o", out.string(), "--threads", "1"}) == 1);
  CHECK_FALSE(fs::exists(out));
  auto partial = dir / "out.partial.h5";
  REQUIRE(fs::exists(partial));
  {
    auto f = File::open_read(partial);
    CHECK(f.root().attr_string("schema") == "spindiff-journal/1");
    CHECK(f.root().open_group("tasks").children() == std::vector<std::string>{"0000", "0001", "0002"});
  }
  // A journal is never silently replaced; --resume runs only the missing task (which fails again).
  CHECK(cli({"run", cfg.string(), "-o", out.string()}) == 2);
  CHECK(cli({"run", cfg.string(), "-o", out.string(), "--resume"}) == 1);
  // With the failure gone the configuration differs: refused, naming the key.
  auto fixed = write_config(dir, "kind = 'test.gaussian'\nn = 10\n[sweep]\nmean = [0, 1, 2, 3]\n");
  CHECK(cli({"run", fixed.string(), "-o", out.string(), "--resume"}) == 2);
}

TEST_CASE("list and describe come from the declarations", "[cli]") {
  CHECK(cli({"list"}) == 0);
  CHECK(cli({"describe", "test.gaussian"}) == 0);
  CHECK(cli({"describe", "--markdown"}) == 0);
}

TEST_CASE("default output path", "[cli]") {
  using spindiff::runner::default_output_path;
  CHECK(default_output_path("runs/sweep_a.toml") == fs::path("results/sweep_a.h5"));
  CHECK(default_output_path("experiments/hopfield_capacity/config.toml") ==
        fs::path("results/hopfield_capacity.h5"));
  CHECK(spindiff::runner::partial_output_path("results/x.h5") == fs::path("results/x.partial.h5"));
}

TEST_CASE("docs/kinds.md is generated from the current declarations", "[cli]") {
  std::ifstream in(spindiff::test::source_dir() / "docs" / "kinds.md");
  REQUIRE(in);
  std::stringstream committed;
  committed << in.rdbuf();
  // Regenerate with: ./build/apps/spindiff describe --markdown > docs/kinds.md
  CHECK(committed.str() == spindiff::cli::kinds_markdown());
}
