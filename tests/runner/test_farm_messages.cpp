// The messages of the MPI task farm: what a worker rank sends arrives as the very same record (so
// datasets do not depend on the rank count), failures keep their kind, and damaged bytes are refused.
#include <catch2/catch.hpp>

#include "cli/farm_messages.hpp"
#include "spindiff/runner/params.hpp"
#include "spindiff/runner/task_record.hpp"

using namespace spindiff;

TEST_CASE("a finished task crosses ranks bit for bit", "[farm]") {
  runner::TaskResult r;
  r.done = true;
  r.seconds = 0.25;
  r.output.scalar("m", 1.0 / 3.0, 0.01);
  r.output.array("x", std::vector<double>{0.1, -2.5, 1e-300});
  const auto [task, back] = cli::decode_result(cli::encode_result(41, r));
  CHECK(task == 41);
  CHECK(runner::pack_task(back) == runner::pack_task(r));
  auto bytes = cli::encode_result(41, r);
  bytes.pop_back();
  CHECK_THROWS(cli::decode_result(bytes));
}

TEST_CASE("an assignment carries the opaque checkpoint its task resumes from", "[farm]") {
  const cli::Bytes checkpoint{0, 255, 7, 0, 1};
  const auto m = cli::decode_task_bytes(cli::encode_task_bytes({123456789012ULL, checkpoint}));
  CHECK(m.task == 123456789012ULL);
  CHECK(m.bytes == checkpoint);
  CHECK(cli::decode_task_bytes(cli::encode_task_bytes({3, {}})).bytes.empty());
  auto extra = cli::encode_task_bytes({3, {}});
  extra.push_back(1);
  CHECK_THROWS(cli::decode_task_bytes(extra));
}

TEST_CASE("a failed task stays bad input or a runtime failure on the coordinator", "[farm]") {
  auto config_error = std::make_exception_ptr(runner::ConfigError("a.toml", "weights", "no such file"));
  const auto [task, error] = cli::decode_failure(cli::encode_failure(5, config_error));
  CHECK(task == 5);
  try {
    std::rethrow_exception(error);
  } catch (const runner::ConfigError& e) {
    CHECK(e.key() == "weights");
    CHECK(e.message() == "no such file");
  } catch (...) {
    FAIL("a bad-input failure arrived as another exception");
  }
  const auto [task2, error2] =
      cli::decode_failure(cli::encode_failure(6, std::make_exception_ptr(std::runtime_error("NaN energy"))));
  CHECK(task2 == 6);
  CHECK_THROWS_WITH(std::rethrow_exception(error2), "NaN energy");
  CHECK(cli::decode_code(cli::encode_code(143)) == 143);
}
