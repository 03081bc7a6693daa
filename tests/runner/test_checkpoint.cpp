// In-task checkpoints: a task stopped mid-way and continued from its checkpoint gives, bit for bit, the
// output of the same task run in one go (N + N sweeps == 2N), for every kind that checkpoints; the byte
// helper; and the journal keeps a readable checkpoint whatever moment a write is cut at.
#include <fmt/format.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstring>

#include "spindiff/config/run_config.hpp"
#include "spindiff/core/bytes.hpp"
#include "spindiff/io/hdf5.hpp"
#include "spindiff/kinds/all_kinds.hpp"
#include "spindiff/runner/checkpoint.hpp"
#include "spindiff/runner/journal.hpp"
#include "spindiff/runner/runner.hpp"
#include "spindiff/runner/task_record.hpp"
#include "spindiff/stats/histogram.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace spindiff;
using runner::ExecuteOptions;

namespace {

config::RunConfig parse(const std::string& text) {
  return config::parse_run_config(text, "cfg.toml", ".", {}, runner::all_kinds());
}

// A task's whole output as bytes (its record without the run time): equal bytes, equal datasets.
std::vector<std::int8_t> bits(const runner::TaskResult& r) {
  runner::TaskResult copy;
  copy.output = r.output;
  return runner::pack_task(copy);
}

runner::Execution run_whole(const config::RunConfig& cfg) {
  ExecuteOptions o;
  o.threads = 1;
  return runner::execute(cfg, o);
}

// Runs the tasks with a checkpoint at every chance and stops the run while the `stop_after`-th is saved (the
// task stops right after it; 0: never); starts from `restored` when given. Returns the checkpoints.
struct Stopped {
  std::vector<Bytes> checkpoints;
  std::size_t saved = 0;
  runner::Execution ex;
};
Stopped run_and_stop(const config::RunConfig& cfg, std::size_t stop_after, const std::vector<Bytes>* restored) {
  Stopped s;
  s.checkpoints.resize(cfg.tasks.size());
  if (restored) s.checkpoints = *restored;
  std::atomic<bool> stop{false};
  ExecuteOptions o;
  o.threads = 1;
  o.stop = &stop;
  o.checkpoint_every = 1e-12;
  o.restored = restored;
  o.on_checkpoint = [&](std::size_t task, const Bytes& bytes) {
    s.checkpoints[task] = bytes;
    if (++s.saved == stop_after) stop.store(true);
  };
  s.ex = runner::execute(cfg, o);
  return s;
}

// One task stopped after `first` checkpoints, continued and stopped again after `second` more, then
// continued to the end: equal to the uninterrupted task. Every chance to checkpoint is taken, so the counts
// of checkpoints also show that each run continued where the last one stopped (a task that started over
// would save as many as the whole run).
void check_continues_exactly(const std::string& toml, std::size_t first, std::size_t second) {
  const config::RunConfig cfg = parse(toml);
  REQUIRE(cfg.tasks.size() == 1);
  const runner::Execution plain = run_whole(cfg);
  REQUIRE(plain.complete());
  const Stopped whole = run_and_stop(cfg, 0, nullptr);
  REQUIRE(whole.ex.complete());
  CHECK(bits(whole.ex.results[0]) == bits(plain.results[0]));  // saving checkpoints changes nothing
  REQUIRE(whole.saved > first + second);

  Stopped a = run_and_stop(cfg, first, nullptr);
  REQUIRE(a.ex.interrupted);
  REQUIRE(a.ex.tasks_stopped == 1);
  REQUIRE(!a.ex.results[0].done);
  REQUIRE(a.saved == first);  // the stop, requested while saving the last one, is seen at once
  REQUIRE(!a.checkpoints[0].empty());

  Stopped b = run_and_stop(cfg, second, &a.checkpoints);
  REQUIRE(b.ex.tasks_stopped == 1);
  REQUIRE(b.saved == second);

  const Stopped rest = run_and_stop(cfg, 0, &b.checkpoints);
  REQUIRE(rest.ex.complete());
  CHECK(first + second + rest.saved == whole.saved);
  CHECK(bits(rest.ex.results[0]) == bits(plain.results[0]));
}

}  // namespace

namespace {
struct Inner {
  std::vector<double> v;
  std::optional<std::string> name;
  template <class Ar>
  void fields(Ar& ar) {
    ar(v, name);
  }
};
}  // namespace

TEST_CASE("bytes: values, vectors, optionals and fields() classes round-trip; short input throws",
          "[checkpoint][unit]") {
  Stream stream(7, 11, 2, Purpose::dynamics);
  (void)stream.next_u64();
  (void)stream.normal();  // leaves a spare normal in the stream
  Inner in{{1.5, -0.0, 1e300}, "x"};
  std::vector<std::array<double, 3>> blocks{{1, 2, 3}, {4, 5, 6}};
  ByteWriter w;
  w.tag(42);
  w(in, stream, blocks, std::int64_t{-5});
  const Bytes bytes = std::move(w).bytes();

  Inner out;
  Stream restored;
  std::vector<std::array<double, 3>> blocks_out;
  std::int64_t k = 0;
  ByteReader r(bytes);
  r.tag(42);
  r(out, restored, blocks_out, k);
  CHECK(r.done());
  CHECK(out.v == in.v);
  CHECK(out.name == in.name);
  CHECK(blocks_out == blocks);
  CHECK(k == -5);
  for (int i = 0; i < 5; ++i) CHECK(restored.normal() == stream.normal());  // spare included
  CHECK(restored.next_u64() == stream.next_u64());

  const Bytes cut(bytes.begin(), bytes.end() - 3);
  ByteReader short_reader(cut);
  short_reader.tag(42);
  CHECK_THROWS(short_reader(out, restored, blocks_out, k));
  ByteReader wrong(bytes);
  CHECK_THROWS(wrong.tag(43));
}

TEST_CASE("histogram state: a restored histogram has the same edges, counts and flows", "[checkpoint][unit]") {
  stats::Histogram h(7, -1.3, 2.9);
  for (int i = 0; i < 200; ++i) h.fill(-2.0 + 0.027 * i);
  ByteWriter w;
  w(h);
  stats::Histogram back;
  ByteReader r(w.bytes());
  r(back);
  CHECK(back.edges() == h.edges());
  CHECK(back.counts() == h.counts());
  CHECK(back.underflow() == h.underflow());
  CHECK(back.overflow() == h.overflow());
  back.fill(0.5), h.fill(0.5);
  CHECK(back.counts() == h.counts());
}

TEST_CASE("checkpoints: ising.thermo continues exactly (multispin, byte and generic kernels, Wolff)",
          "[checkpoint][unit]") {
  // Stops inside the thermalisation of repeat 0, then inside the measurement of repeat 1.
  for (const char* kernel : {"multispin", "bytes", "generic"})
    check_continues_exactly(fmt::format(R"(kind = "ising.thermo"
seed = 5
repeats = 2
L = 8
T = 2.3
kernel = "{}"
algorithm = "heatbath"
thermalize = 30
sweeps = 60
)",
                                        kernel),
                            10, 80);
  check_continues_exactly(R"(kind = "ising.thermo"
seed = 5
repeats = 2
L = 6
T = 2.3
algorithm = "wolff"
order = "random"
thermalize = 30
sweeps = 60
)",
                          50, 45);
}

TEST_CASE("checkpoints: spins.thermo continues exactly (SK local fields, Hopfield patterns, tempering)",
          "[checkpoint][unit]") {
  check_continues_exactly(R"(kind = "spins.thermo"
seed = 2
repeats = 2
model = "sk"
N = 24
T = 0.8
algorithm = "heatbath"
thermalize = 20
sweeps = 50
)",
                          35, 20);
  check_continues_exactly(R"(kind = "spins.thermo"
seed = 2
repeats = 2
model = "hopfield"
N = 40
P = 3
T = 0.4
init = "pattern"
thermalize = 20
sweeps = 40
)",
                          70, 3);
  check_continues_exactly(R"(kind = "spins.thermo"
seed = 2
repeats = 2
model = "ising"
L = 4
T = 1.5
parallel_tempering = true
pt_temperatures = [1.0, 2.0, 3.0]
thermalize = 20
sweeps = 40
)",
                          25, 40);
}

TEST_CASE("checkpoints: hopfield.thermo continues exactly", "[checkpoint][unit]") {
  check_continues_exactly(R"(kind = "hopfield.thermo"
seed = 9
repeats = 3
N = 60
alpha = 0.05
T = 0.3
thermalize = 10
sweeps = 30
)",
                          15, 60);
}

TEST_CASE("journal checkpoints: the newest complete one survives a write cut short; a finished task drops it",
          "[checkpoint][unit]") {
  const fs::path dir = spindiff::test::scratch_dir("journal_checkpoints");
  const config::RunConfig cfg = parse(R"(kind = "ising.thermo"
L = 4
thermalize = 5
sweeps = 10
)");
  const fs::path path = dir / "run.partial.h5";
  std::vector<runner::TaskResult> results(1);
  std::vector<Bytes> found;
  const Bytes first{1, 2, 3}, second{4, 5, 6, 7};
  {
    auto j = runner::Journal::create(path, cfg);
    j.save_checkpoint(0, cfg.points[0], first);
    j.save_checkpoint(0, cfg.points[0], second);
  }
  runner::Journal::resume(path, cfg, results, &found).close();
  CHECK(found[0] == second);

  // A replacement cut short (its digest does not match) leaves the previous one in use.
  {
    auto f = io::File::open_rw(path);
    io::Group g = f.root().open_group("checkpoints").open_group("0000");
    const std::int8_t partial[] = {9, 9};
    g.write("state_new", std::span<const std::int8_t>(partial, 2));
    g.object("state_new").attr("sha256", std::string(64, '0'));
  }
  runner::Journal::resume(path, cfg, results, &found).close();
  CHECK(found[0] == second);

  // Killed after the old one was unlinked, before the new one took its name: the flushed new one is used.
  {
    auto j = runner::Journal::create(path, cfg);
    j.save_checkpoint(0, cfg.points[0], first);
  }
  {
    auto f = io::File::open_rw(path);
    io::Group g = f.root().open_group("checkpoints").open_group("0000");
    g.rename("state", "state_new");
  }
  runner::Journal::resume(path, cfg, results, &found).close();
  CHECK(found[0] == first);

  // A finished task's checkpoint is dropped with its commit.
  {
    std::vector<runner::TaskResult> none(1);
    auto j = runner::Journal::resume(path, cfg, none, nullptr);
    runner::TaskResult done;
    done.done = true;
    done.output.scalar("x", 1.0);
    j.commit(0, cfg.points[0], done);
  }
  runner::Journal::resume(path, cfg, results, &found).close();
  CHECK(results[0].done);
  CHECK(found[0].empty());
}

TEST_CASE("checkpoints: langevin.boltzmann continues exactly (particles, block streams, histograms, repeat 0's record)",
          "[checkpoint][unit]") {
  // 16384 particles: segments of 64 steps, 4 per repeat (the last is not followed by a checkpoint).
  for (const char* integrator : {"mala", "baoab"})
    check_continues_exactly(fmt::format(R"(kind = "langevin.boltzmann"
seed = 3
repeats = 2
potential = "double_well"
integrator = "{}"
dt = 0.01
particles = 16384
thermalize = 56
steps = 200
record_every = 10
trajectory_particles = 2
trajectory_points = 20
)",
                                        integrator),
                            2, 3);
}

TEST_CASE("checkpoints: langevin.escape continues exactly (particles still out, their passage times)",
          "[checkpoint][unit]") {
  // 16384 particles: segments of 64 steps; max_time / dt = 250 steps, so 3 checkpoints per repeat at most.
  check_continues_exactly(R"(kind = "langevin.escape"
seed = 6
repeats = 2
potential = "double_well"
T = 0.5
dt = 0.01
particles = 16384
start = -1.0
target = 0.0
max_time = 2.5
)",
                          2, 2);
}

TEST_CASE("checkpoints: diffusion.train continues exactly (network, Adam moments, loss curves, weights snapshots)",
          "[checkpoint][unit]") {
  // Chunks end at 50, 250, 300 and 450 steps: three checkpoints per repeat. Stops inside repeat 0 after the
  // snapshot at step 50, then inside repeat 1 after its snapshot at 300; the samples and MMD follow training.
  check_continues_exactly(R"(kind = "diffusion.train"
seed = 4
repeats = 2
data = "two_moons"
n_train = 200
width = 8
depth = 1
batch = 8
steps = 450
save_steps = [50, 300]
n_samples = 40
sample_steps = 4
)",
                          2, 3);
  // A conditional float32 network (labels with dropout, a held-out combination): chunks end at 100, 300, 450.
  check_continues_exactly(R"(kind = "diffusion.train"
seed = 7
repeats = 2
data = "letters"
letters.alphabet = "AB"
n_train = 32
labels = ["letter", "style"]
holdout = "A:italic"
precision = "float32"
width = 8
depth = 1
batch = 4
steps = 450
save_steps = [100]
n_samples = 0
)",
                          1, 2);
}

TEST_CASE("checkpoints: diffusion.classifier continues exactly (network, Adam moments, loss tails)",
          "[checkpoint][unit]") {
  // Chunks of 200 steps: checkpoints at 200 and 400 of each repeat.
  check_continues_exactly(R"(kind = "diffusion.classifier"
seed = 3
repeats = 2
data = "mixture"
attribute = "component"
n_train = 64
n_eval = 20
width = 8
depth = 1
batch = 8
steps = 450
accuracy_levels = 2
)",
                          1, 2);
}

TEST_CASE("checkpoints: bridge.memorization continues exactly (learned score's training, repeat 0's loss curve)",
          "[checkpoint][unit]") {
  // 100 steps in 50 chunks: 49 checkpoints per repeat.
  check_continues_exactly(R"(kind = "bridge.memorization"
seed = 8
repeats = 2
score = "learned"
P = 8
d = 2
samples = 40
dt = 0.05
train_steps = 100
width = 8
depth = 1
batch = 8
)",
                          30, 40);
}

TEST_CASE("checkpoints: bridge.generalization continues exactly (either network's training, network A's samples)",
          "[checkpoint][unit]") {
  // Chunks of 200 steps: checkpoints at 200 and 400 of each network. Stops inside network B of repeat 0, then
  // inside network A of repeat 1.
  check_continues_exactly(R"(kind = "bridge.generalization"
seed = 2
repeats = 2
P = 8
samples = 8
sample_steps = 4
width = 8
depth = 1
batch = 8
train_steps = 450
)",
                          3, 3);
}

TEST_CASE("checkpoints: bridge.recall with a learned score continues exactly (its training, the overlaps so far)",
          "[checkpoint][unit]") {
  check_continues_exactly(R"(kind = "bridge.recall"
seed = 6
repeats = 2
method = "learned"
N = 40
trials = 4
steps = 10
train_steps = 100
width = 8
depth = 1
batch = 8
)",
                          10, 60);
}
