#pragma once
// Plain values to bytes and back, for in-task checkpoints: `ByteWriter w; w(a, b, c); w.bytes()` and
// `ByteReader r(bytes); r(a, b, c)` with the same fields in the same order. Handled: trivially copyable
// values (raw bytes of this machine), std::string, std::vector, std::optional, std::array, std::pair, and any
// class with a member `template <class Archive> void fields(Archive& ar)` that lists its state as
// `ar(x, y, ...)` (one function serves both directions; `Archive::reading` tells them apart where a class
// must rebuild something). Vectors of classes are read into the elements already there (their sizes must
// agree), so objects that hold a reference to their model are restored in place, never constructed.
// A checkpoint is read back by the same build on the same kind of machine; the reader checks sizes and a
// leading tag, and throws std::runtime_error on bytes that do not fit.
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace spindiff {

using Bytes = std::vector<std::uint8_t>;

namespace detail {
template <class T>
struct IsVector : std::false_type {};
template <class T, class A>
struct IsVector<std::vector<T, A>> : std::true_type {};
template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};
template <class T>
struct IsPair : std::false_type {};
template <class A, class B>
struct IsPair<std::pair<A, B>> : std::true_type {};
template <class T>
struct IsArray : std::false_type {};
template <class T, std::size_t N>
struct IsArray<std::array<T, N>> : std::true_type {};
template <class T>
constexpr bool raw =
    std::is_trivially_copyable_v<T> && !std::is_pointer_v<T> && !IsPair<T>::value && !IsArray<T>::value;
}  // namespace detail

class ByteWriter {
 public:
  static constexpr bool reading = false;

  template <class... T>
  ByteWriter& operator()(const T&... values) {
    (put(values), ...);
    return *this;
  }
  // A short tag that the reader checks first: what the bytes are and in which layout.
  void tag(std::uint32_t t) { put(t); }
  const Bytes& bytes() const& { return bytes_; }
  Bytes bytes() && { return std::move(bytes_); }

 private:
  void raw(const void* p, std::size_t n) {
    const auto* b = static_cast<const std::uint8_t*>(p);
    bytes_.insert(bytes_.end(), b, b + n);
  }
  template <class T>
  void put(const T& v) {
    if constexpr (requires(T & t, ByteWriter & w) { t.fields(w); }) {
      // fields() lists the state for both directions; writing only reads it.
      const_cast<T&>(v).fields(*this);
    } else if constexpr (std::is_same_v<T, std::string>) {
      put(static_cast<std::uint64_t>(v.size()));
      raw(v.data(), v.size());
    } else if constexpr (detail::IsVector<T>::value) {
      using E = typename T::value_type;
      put(static_cast<std::uint64_t>(v.size()));
      if constexpr (detail::raw<E> && !std::is_same_v<E, bool>) {
        raw(v.data(), v.size() * sizeof(E));
      } else {
        for (const auto& x : v) put(static_cast<const E&>(x));
      }
    } else if constexpr (detail::IsOptional<T>::value) {
      put(static_cast<std::uint8_t>(v.has_value()));
      if (v) put(*v);
    } else if constexpr (detail::IsPair<T>::value) {
      put(v.first);
      put(v.second);
    } else if constexpr (detail::IsArray<T>::value) {
      for (const auto& x : v) put(x);
    } else {
      static_assert(detail::raw<T>, "no byte layout for this type: give it a fields(Archive&) member");
      raw(&v, sizeof v);
    }
  }
  Bytes bytes_;
};

class ByteReader {
 public:
  static constexpr bool reading = true;

  explicit ByteReader(const Bytes& bytes) : b_(bytes.data()), n_(bytes.size()) {}
  ByteReader(const std::uint8_t* data, std::size_t size) : b_(data), n_(size) {}

  template <class... T>
  ByteReader& operator()(T&... values) {
    (get(values), ...);
    return *this;
  }
  // Throws unless the next word is `t` (bytes of another kind or layout).
  void tag(std::uint32_t t) {
    std::uint32_t have = 0;
    get(have);
    if (have != t) throw std::runtime_error("checkpoint of another kind or layout");
  }
  bool done() const { return at_ == n_; }
  // The bytes not yet read.
  std::size_t remaining() const { return n_ - at_; }

 private:
  void raw(void* p, std::size_t n) {
    if (n > n_ - at_) throw std::runtime_error("checkpoint cut short");
    std::memcpy(p, b_ + at_, n);
    at_ += n;
  }
  std::size_t count() {
    std::uint64_t n = 0;
    get(n);
    if (n > n_ - at_) throw std::runtime_error("checkpoint cut short");  // every element takes >= 1 byte
    return static_cast<std::size_t>(n);
  }
  template <class T>
  void get(T& v) {
    if constexpr (requires(T & t, ByteReader & r) { t.fields(r); }) {
      v.fields(*this);
    } else if constexpr (std::is_same_v<T, std::string>) {
      v.resize(count());
      raw(v.data(), v.size());
    } else if constexpr (detail::IsVector<T>::value) {
      using E = typename T::value_type;
      const std::size_t n = count();
      if constexpr (detail::raw<E> && !std::is_same_v<E, bool>) {
        if (n > (n_ - at_) / sizeof(E)) throw std::runtime_error("checkpoint cut short");
        v.resize(n);
        raw(v.data(), n * sizeof(E));
      } else if constexpr (std::is_same_v<E, bool>) {
        v.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
          bool x = false;
          get(x);
          v[i] = x;
        }
      } else if constexpr (std::is_default_constructible_v<E>) {
        v.resize(n);
        for (auto& x : v) get(x);
      } else {
        if (n != v.size()) throw std::runtime_error("checkpoint does not match the task (element count)");
        for (auto& x : v) get(x);
      }
    } else if constexpr (detail::IsOptional<T>::value) {
      std::uint8_t has = 0;
      get(has);
      if (has) {
        if (!v) v.emplace();
        get(*v);
      } else {
        v.reset();
      }
    } else if constexpr (detail::IsPair<T>::value) {
      get(v.first);
      get(v.second);
    } else if constexpr (detail::IsArray<T>::value) {
      for (auto& x : v) get(x);
    } else {
      static_assert(detail::raw<T>, "no byte layout for this type: give it a fields(Archive&) member");
      raw(&v, sizeof v);
    }
  }
  const std::uint8_t* b_;
  std::size_t n_;
  std::size_t at_ = 0;
};

}  // namespace spindiff
