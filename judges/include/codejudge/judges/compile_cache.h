// A content-addressed, size-bounded cache of compile results (artifacts, or the diagnostics of a
// failed compile: RL groups submit the same failing code many times).
//
// Layout under the cache directory (mode 0755: the sandbox reads entries through bind mounts):
//   <k0k1>/<key>/meta.json   ok and compile time; its mtime is the entry's last use
//   <k0k1>/<key>/diagnostics the compiler's output, raw bytes
//   <k0k1>/<key>/box/...     the artifacts, bound read-only at /box when a program runs
//   <k0k1>/<key>.lock        flock: shared while the entry is in use, exclusive while it is
//                            being compiled or evicted (works across processes)
//   tmp/                     entries being written or removed; renamed into place atomically
// Eviction is LRU by last use over the bytes of meta and artifacts. The in-memory index only
// knows the entries this process saw (at start-up or since), so several processes sharing a
// directory may together exceed the bound until one of them restarts.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace codejudge::judges {

// Lower-case hex SHA-256 of data (OpenSSL EVP).
std::string sha256_hex(std::string_view data);

// $CODEJUDGE_CACHE_DIR, else /var/cache/codejudge. Not $XDG_CACHE_HOME: home directories are
// often 0700, and the sandbox's uids must be able to traverse the path to bind entries.
std::string default_cache_dir();

struct CacheStats {
  uint64_t hits = 0;    // served from an existing entry (memory or disk)
  uint64_t misses = 0;  // compiled by this process
  uint64_t evictions = 0;
  uint64_t entries = 0;
  uint64_t bytes = 0;
};

struct Artifact {
  std::string name;  // a plain file name, no '/'
  std::string data;
  bool executable = false;
};

// What one compile produced.
struct CompileOutput {
  bool ok = false;          // false: a compile error, diagnostics say why
  std::string diagnostics;  // compiler output (warnings too)
  uint64_t time_ms = 0;
  std::vector<Artifact> artifacts;
  // Set when our side failed (sandbox, scratch dir) or the outcome may not repeat (a wall-clock
  // timeout under load): nothing is stored and get_or_compile fails with this message.
  std::string internal_error;
};

class CompileCache {
 public:
  // Opens (creating when needed) the cache at dir, bounded to max_bytes, and indexes what is
  // already there. Returns nullptr with *error set when the directory is unusable.
  static std::shared_ptr<CompileCache> open(const std::string& dir, uint64_t max_bytes,
                                            std::string* error);
  ~CompileCache();
  CompileCache(const CompileCache&) = delete;
  CompileCache& operator=(const CompileCache&) = delete;

  // A cache entry held in use: it is not evicted (by any process) while a handle lives.
  class Entry {
   public:
    ~Entry();
    Entry(const Entry&) = delete;
    Entry& operator=(const Entry&) = delete;
    const std::string& key() const { return key_; }
    bool ok() const { return ok_; }
    const std::string& diagnostics() const { return diagnostics_; }
    // Host directory with the artifacts (empty when !ok()).
    const std::string& box_dir() const { return box_dir_; }
    uint64_t compile_ms() const { return compile_ms_; }  // of the original compile
    bool cached() const { return cached_; }              // true unless this call ran the compiler

   private:
    friend class CompileCache;
    Entry() = default;
    std::shared_ptr<CompileCache> owner_;
    std::string key_;
    bool ok_ = false;
    std::string diagnostics_;
    std::string box_dir_;
    uint64_t compile_ms_ = 0;
    bool cached_ = false;
  };

  using CompileFn = std::function<CompileOutput()>;

  // The entry for key (64 hex digits), running compile when no process has it yet. Concurrent
  // calls for one key, in this process or others, run compile once; the others wait and share.
  // An internal failure (compile's internal_error, cache I/O) stores nothing and returns nullptr
  // with *error set; waiters then try again themselves.
  std::shared_ptr<const Entry> get_or_compile(const std::string& key, const CompileFn& compile,
                                              std::string* error);

  CacheStats stats() const;
  const std::string& dir() const;

  struct Impl;

 private:
  explicit CompileCache(std::unique_ptr<Impl> impl);
  void release(const std::string& key);
  std::unique_ptr<Impl> impl_;
  std::weak_ptr<CompileCache> self_;
};

}  // namespace codejudge::judges
