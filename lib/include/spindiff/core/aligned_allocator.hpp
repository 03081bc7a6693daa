#pragma once
// std::allocator with a stronger alignment, so that SIMD rows start on a cache line.
#include <cstddef>
#include <new>
#include <vector>

namespace spindiff {

template <class T, std::size_t Alignment = 64>
struct AlignedAllocator {
  using value_type = T;
  template <class U>
  struct rebind {
    using other = AlignedAllocator<U, Alignment>;
  };

  AlignedAllocator() = default;
  template <class U>
  explicit AlignedAllocator(const AlignedAllocator<U, Alignment>&) {}

  T* allocate(std::size_t n) { return static_cast<T*>(::operator new (n * sizeof(T), std::align_val_t{Alignment})); }
  void deallocate(T* p, std::size_t) { ::operator delete (p, std::align_val_t{Alignment}); }

  template <class U>
  bool operator==(const AlignedAllocator<U, Alignment>&) const {
    return true;
  }
};

template <class T, std::size_t Alignment = 64>
using AlignedVector = std::vector<T, AlignedAllocator<T, Alignment>>;

}  // namespace spindiff
