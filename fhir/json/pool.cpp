#include "json/pool.hpp"

#include <new>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
// A kept block is poisoned, so ASan still reports a use after free of a pooled container.
#define MFR_POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define MFR_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define MFR_POISON(p, n) ((void)(p), (void)(n))
#define MFR_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

namespace mfr::json::detail {
namespace {

constexpr std::size_t kGrain = 16;               // sizes are rounded up to this
constexpr std::size_t kLargest = 512;            // larger blocks go straight to operator new
constexpr std::size_t kClasses = kLargest / kGrain;
constexpr std::size_t kBytesPerClass = 32 * 1024;  // at most this much kept per size and thread

struct FreeBlock {
  FreeBlock* next;
};

// Trivially destructible, so it stays usable while other thread-locals are destroyed.
struct Lists {
  FreeBlock* head[kClasses];
  std::size_t count[kClasses];
  bool closed;     // the thread is ending: free, don't keep
  bool draining;   // this thread's Drain is registered
};
thread_local Lists lists{};

std::size_t class_of(std::size_t bytes) { return (bytes + kGrain - 1) / kGrain - 1; }
std::size_t block_size(std::size_t c) { return (c + 1) * kGrain; }

// Hands this thread's kept blocks back, and frees whatever it is given from now on.
void drain_this_thread() noexcept {
  lists.closed = true;
  for (std::size_t c = 0; c < kClasses; ++c)
    while (FreeBlock* b = lists.head[c]) {
      MFR_UNPOISON(b, block_size(c));
      lists.head[c] = b->next;
      ::operator delete(b);
    }
}

struct Drain {
  ~Drain() { drain_this_thread(); }
};

// Static destructors (a function-local static Value, say) run on the exiting thread after its
// thread-locals are gone; this one is built at load, so it runs after them and takes back
// what they freed.
struct ExitDrain {
  ~ExitDrain() { drain_this_thread(); }
} exit_drain;

// The first block a thread keeps registers its Drain (a function-local thread_local is
// constructed, and its destructor registered, when control first passes it).
void keep_until_thread_end() {
  thread_local Drain drain;
  lists.draining = true;
}

}  // namespace

void* pool_allocate(std::size_t bytes) {
  if (bytes == 0 || bytes > kLargest) return ::operator new(bytes);
  const std::size_t c = class_of(bytes);
  if (FreeBlock* b = lists.head[c]) {
    MFR_UNPOISON(b, block_size(c));
    lists.head[c] = b->next;
    --lists.count[c];
    return b;
  }
  return ::operator new(block_size(c));
}

void pool_deallocate(void* block, std::size_t bytes) noexcept {
  if (bytes == 0 || bytes > kLargest) return ::operator delete(block);
  const std::size_t c = class_of(bytes);
  if (lists.closed || lists.count[c] * block_size(c) >= kBytesPerClass) return ::operator delete(block);
  if (!lists.draining) [[unlikely]]
    keep_until_thread_end();
  auto* b = static_cast<FreeBlock*>(block);
  b->next = lists.head[c];
  lists.head[c] = b;
  ++lists.count[c];
  MFR_POISON(b, block_size(c));
}

}  // namespace mfr::json::detail
