#include "cli/farm_messages.hpp"

#include <cstring>
#include <stdexcept>

#include "spindiff/runner/params.hpp"
#include "spindiff/runner/task_record.hpp"

namespace spindiff::cli {

namespace {
// Every rank runs the same binary on the same kind of node, so values travel in host byte order.
class Writer {
 public:
  template <class T>
  void pod(T v) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(&v);
    bytes.insert(bytes.end(), p, p + sizeof v);
  }
  template <class Byte>
  void blob(const std::vector<Byte>& b) {
    static_assert(sizeof(Byte) == 1);
    pod<std::uint64_t>(b.size());
    const auto* p = reinterpret_cast<const std::uint8_t*>(b.data());
    bytes.insert(bytes.end(), p, p + b.size());
  }
  void str(const std::string& s) { blob(std::vector<char>(s.begin(), s.end())); }
  Bytes bytes;
};

class Reader {
 public:
  explicit Reader(const Bytes& b) : b_(b) {}
  template <class T>
  T pod() {
    need(sizeof(T));
    T v;
    std::memcpy(&v, b_.data() + at_, sizeof v);
    at_ += sizeof v;
    return v;
  }
  template <class Byte>
  std::vector<Byte> blob() {
    const auto n = pod<std::uint64_t>();
    need(n);
    std::vector<Byte> out(n);
    if (n > 0) std::memcpy(out.data(), b_.data() + at_, n);
    at_ += n;
    return out;
  }
  std::string str() {
    const auto c = blob<char>();
    return std::string(c.begin(), c.end());
  }
  void end() const {
    if (at_ != b_.size()) throw std::runtime_error("task farm message: trailing bytes");
  }

 private:
  void need(std::size_t n) const {
    if (b_.size() - at_ < n) throw std::runtime_error("task farm message: truncated");
  }
  const Bytes& b_;
  std::size_t at_ = 0;
};
}  // namespace

Bytes encode_task_bytes(const TaskBytes& message) {
  Writer w;
  w.pod<std::uint64_t>(message.task);
  w.blob(message.bytes);
  return w.bytes;
}

TaskBytes decode_task_bytes(const Bytes& message) {
  Reader r(message);
  TaskBytes m;
  m.task = r.pod<std::uint64_t>();
  m.bytes = r.blob<std::uint8_t>();
  r.end();
  return m;
}

Bytes encode_result(std::size_t task, const runner::TaskResult& result) {
  Writer w;
  w.pod<std::uint64_t>(task);
  w.blob(runner::pack_task(result));
  return w.bytes;
}

std::pair<std::size_t, runner::TaskResult> decode_result(const Bytes& message) {
  Reader r(message);
  const auto task = r.pod<std::uint64_t>();
  auto record = r.blob<std::int8_t>();
  r.end();
  return {task, runner::unpack_task(record)};
}

Bytes encode_failure(std::size_t task, const std::exception_ptr& error) {
  std::uint8_t is_config = 0;
  std::string key, message;
  try {
    std::rethrow_exception(error);
  } catch (const runner::ConfigError& e) {
    is_config = 1, key = e.key(), message = e.message();
  } catch (const std::exception& e) {
    message = e.what();
  } catch (...) {
    message = "unknown error";
  }
  Writer w;
  w.pod<std::uint64_t>(task);
  w.pod(is_config);
  w.str(key);
  w.str(message);
  return w.bytes;
}

std::pair<std::size_t, std::exception_ptr> decode_failure(const Bytes& message) {
  Reader r(message);
  const auto task = r.pod<std::uint64_t>();
  const auto is_config = r.pod<std::uint8_t>();
  const std::string key = r.str();
  const std::string text = r.str();
  r.end();
  if (is_config) return {task, std::make_exception_ptr(runner::ConfigError("", key, text))};
  return {task, std::make_exception_ptr(std::runtime_error(text))};
}

Bytes encode_code(int code) {
  Writer w;
  w.pod<std::int32_t>(code);
  return w.bytes;
}

int decode_code(const Bytes& message) {
  Reader r(message);
  const int code = r.pod<std::int32_t>();
  r.end();
  return code;
}

}  // namespace spindiff::cli
