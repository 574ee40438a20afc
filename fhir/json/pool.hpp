#pragma once
// The allocator of the DOM's arrays, objects and long texts (text.hpp). A FHIR document is a
// few dozen small containers and strings that live and die together; glibc's per-thread cache keeps only seven blocks of
// a size, so most of them went through malloc's slower paths. This keeps more of them per
// thread. Blocks are plain operator-new blocks, so one freed on another thread is simply kept
// by that thread (or freed). Under ASan a kept block is poisoned, so a use after free is
// still reported.
#include <cstddef>

namespace mfr::json::detail {

void* pool_allocate(std::size_t bytes);
void pool_deallocate(void* block, std::size_t bytes) noexcept;

template <class T>
struct PoolAllocator {
  using value_type = T;
  PoolAllocator() noexcept = default;
  template <class U>
  PoolAllocator(const PoolAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) { return static_cast<T*>(pool_allocate(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { pool_deallocate(p, n * sizeof(T)); }
  friend bool operator==(const PoolAllocator&, const PoolAllocator&) noexcept { return true; }
};

}  // namespace mfr::json::detail
