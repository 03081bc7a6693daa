#include "spindiff/runner/task_record.hpp"

#include <cstring>
#include <stdexcept>
#include <string>

namespace spindiff::runner {

namespace {
constexpr std::uint32_t kFormat = 0x53445431;  // "SDT1"

class Writer {
 public:
  template <class T>
  void pod(T v) {
    const auto* p = reinterpret_cast<const std::int8_t*>(&v);
    bytes.insert(bytes.end(), p, p + sizeof v);
  }
  void str(const std::string& s) {
    pod<std::uint64_t>(s.size());
    bytes.insert(bytes.end(), s.begin(), s.end());
  }
  template <class T>
  void vec(const std::vector<T>& v) {
    pod<std::uint64_t>(v.size());
    for (const auto& x : v) {
      if constexpr (std::is_same_v<T, std::string>) {
        str(x);
      } else {
        pod(x);
      }
    }
  }
  void value(const Value& v) {
    pod<std::uint8_t>(static_cast<std::uint8_t>(v.index()));
    std::visit(
        [this](const auto& x) {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, std::string>) {
            str(x);
          } else if constexpr (std::is_same_v<T, std::vector<double>>) {
            vec(x);
          } else {
            pod(x);
          }
        },
        v);
  }
  std::vector<std::int8_t> bytes;
};

class Reader {
 public:
  explicit Reader(const std::vector<std::int8_t>& b) : b_(b) {}
  template <class T>
  T pod() {
    need(sizeof(T));
    T v;
    std::memcpy(&v, b_.data() + at_, sizeof v);
    at_ += sizeof v;
    return v;
  }
  std::string str() {
    const auto n = pod<std::uint64_t>();
    need(n);
    std::string s(reinterpret_cast<const char*>(b_.data() + at_), n);
    at_ += n;
    return s;
  }
  template <class T>
  std::vector<T> vec() {
    const auto n = pod<std::uint64_t>();
    if (n > b_.size()) throw std::runtime_error("corrupt task record");
    std::vector<T> v;
    v.reserve(n);
    for (std::uint64_t i = 0; i < n; ++i) {
      if constexpr (std::is_same_v<T, std::string>) {
        v.push_back(str());
      } else {
        v.push_back(pod<T>());
      }
    }
    return v;
  }
  Value value() {
    switch (pod<std::uint8_t>()) {
      case 0: return pod<bool>();
      case 1: return pod<std::int64_t>();
      case 2: return pod<double>();
      case 3: return str();
      case 4: return vec<double>();
    }
    throw std::runtime_error("corrupt task record (value type)");
  }
  bool done() const { return at_ == b_.size(); }

 private:
  void need(std::size_t n) const {
    if (at_ + n > b_.size()) throw std::runtime_error("truncated task record");
  }
  const std::vector<std::int8_t>& b_;
  std::size_t at_ = 0;
};
}  // namespace

std::vector<std::int8_t> pack_task(const TaskResult& result) {
  Writer w;
  w.pod(kFormat);
  w.pod(result.seconds);
  const TaskOutput& out = result.output;
  w.pod<std::uint64_t>(out.columns().size());
  for (const auto& [name, value] : out.columns()) {
    w.str(name);
    w.pod<std::uint8_t>(static_cast<std::uint8_t>(value.index()));
    if (const auto* d = std::get_if<double>(&value)) w.pod(*d);
    if (const auto* s = std::get_if<std::string>(&value)) w.str(*s);
  }
  w.pod<std::uint64_t>(out.arrays().size());
  for (const auto& [name, array] : out.arrays()) {
    w.str(name);
    w.vec(std::vector<std::uint64_t>(array.shape.begin(), array.shape.end()));
    w.pod<std::uint8_t>(static_cast<std::uint8_t>(array.data.index()));
    std::visit([&](const auto& data) { w.vec(data); }, array.data);
    w.pod<std::uint64_t>(array.attributes.size());
    for (const auto& [k, v] : array.attributes) {
      w.str(k);
      w.value(v);
    }
  }
  w.pod<std::uint64_t>(out.attributes().size());
  for (const auto& [k, v] : out.attributes()) {
    w.str(k);
    w.value(v);
  }
  w.vec(out.warnings());
  return std::move(w.bytes);
}

TaskResult unpack_task(const std::vector<std::int8_t>& bytes) {
  Reader r(bytes);
  if (r.pod<std::uint32_t>() != kFormat) throw std::runtime_error("not a task record of this format");
  TaskResult result;
  result.done = true;
  result.seconds = r.pod<double>();
  TaskOutput& out = result.output;
  for (auto n = r.pod<std::uint64_t>(); n > 0; --n) {
    const std::string name = r.str();
    if (r.pod<std::uint8_t>() == 0) {
      out.scalar(name, r.pod<double>());
    } else {
      out.label(name, r.str());
    }
  }
  for (auto n = r.pod<std::uint64_t>(); n > 0; --n) {
    const std::string name = r.str();
    const auto shape64 = r.vec<std::uint64_t>();
    const std::vector<std::size_t> shape(shape64.begin(), shape64.end());
    Array* a = nullptr;
    switch (r.pod<std::uint8_t>()) {
      case 0: a = &out.array(name, r.vec<double>(), shape); break;
      case 1: a = &out.array(name, r.vec<std::int64_t>(), shape); break;
      case 2: a = &out.array(name, r.vec<std::int8_t>(), shape); break;
      case 3: a = &out.array(name, r.vec<std::string>()); break;
      default: throw std::runtime_error("corrupt task record (array type)");
    }
    a->shape = shape;
    for (auto m = r.pod<std::uint64_t>(); m > 0; --m) {
      std::string k = r.str();
      a->attributes.emplace_back(std::move(k), r.value());
    }
  }
  for (auto n = r.pod<std::uint64_t>(); n > 0; --n) {
    std::string k = r.str();
    out.attribute(k, r.value());
  }
  for (auto& text : r.vec<std::string>()) out.warning(std::move(text));
  if (!r.done()) throw std::runtime_error("corrupt task record (trailing bytes)");
  return result;
}

}  // namespace spindiff::runner
