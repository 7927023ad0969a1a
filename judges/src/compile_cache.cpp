#include "codejudge/judges/compile_cache.h"

#include <dirent.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <future>
#include <limits>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "codejudge/judges/harness.h"

namespace codejudge::judges {
namespace {

namespace fs = std::filesystem;

constexpr int kMetaVersion = 1;
constexpr const char* kMetaFile = "meta.json";
constexpr const char* kDiagnosticsFile = "diagnostics";
constexpr const char* kBoxDirName = "box";
constexpr int64_t kStaleTmpNs = 3600LL * 1000 * 1000 * 1000;  // leftovers of a crashed writer

std::string errno_text(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

int64_t timespec_ns(const timespec& ts) {
  return static_cast<int64_t>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

int64_t now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return timespec_ns(ts);
}

bool valid_key(const std::string& key) {
  if (key.size() != 64) return false;
  for (char c : key) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool valid_artifact_name(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos &&
         name.find('\0') == std::string::npos;
}

// mkdir that tolerates an existing directory (not a symlink) and forces the mode past umask.
bool make_dir(const std::string& path, mode_t mode, std::string* error) {
  if (mkdir(path.c_str(), mode) == 0) {
    if (chmod(path.c_str(), mode) != 0) {
      *error = errno_text("chmod " + path);
      return false;
    }
    return true;
  }
  if (errno != EEXIST) {
    *error = errno_text("mkdir " + path);
    return false;
  }
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    *error = path + " exists and is not a directory";
    return false;
  }
  return true;
}

bool write_whole_file(const std::string& path, std::string_view data, mode_t mode,
                      std::string* error) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) {
    *error = errno_text("create " + path);
    return false;
  }
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      *error = errno_text("write " + path);
      close(fd);
      return false;
    }
    done += static_cast<size_t>(n);
  }
  if (fchmod(fd, mode) != 0) {
    *error = errno_text("chmod " + path);
    close(fd);
    return false;
  }
  if (close(fd) != 0) {
    *error = errno_text("close " + path);
    return false;
  }
  return true;
}

std::optional<std::string> read_whole_file(const std::string& path, uint64_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
      static_cast<uint64_t>(st.st_size) > max_bytes) {
    close(fd);
    return std::nullopt;
  }
  std::string data;
  char buffer[16384];
  for (;;) {
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    data.append(buffer, static_cast<size_t>(n));
    if (data.size() > max_bytes) {
      close(fd);
      return std::nullopt;
    }
  }
  close(fd);
  return data;
}

// Sum of the sizes of the regular files of an entry (meta, diagnostics, box/*), no symlinks.
uint64_t entry_bytes(const std::string& entry_dir) {
  uint64_t total = 0;
  for (const std::string& dir : {entry_dir, entry_dir + "/" + kBoxDirName}) {
    DIR* d = opendir(dir.c_str());
    if (d == nullptr) continue;
    while (dirent* e = readdir(d)) {
      struct stat st {};
      if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode)) {
        total += static_cast<uint64_t>(st.st_size);
      }
    }
    closedir(d);
  }
  return total;
}

void remove_tree(const std::string& path) {
  std::error_code ec;
  fs::remove_all(path, ec);  // removes symlinks themselves, never what they point to
}

struct Meta {
  bool ok = false;
  uint64_t compile_ms = 0;
  std::string diagnostics;
};

}  // namespace

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx != nullptr && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1 &&
            EVP_DigestUpdate(ctx, data.data(), data.size()) == 1 &&
            EVP_DigestFinal_ex(ctx, digest, &length) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) return "";
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

std::string default_cache_dir() {
  const char* env = std::getenv("CODEJUDGE_CACHE_DIR");
  if (env != nullptr && *env != '\0') return env;
  return "/var/cache/codejudge";
}

struct CompileCache::Impl {
  struct Record {
    uint64_t bytes = 0;
    int64_t last_use_ns = 0;
    int uses = 0;      // live Entry handles in this process
    int lock_fd = -1;  // holds LOCK_SH while uses > 0
    Meta meta;         // loaded while uses > 0
  };

  std::string dir;
  uint64_t max_bytes = 0;
  mutable std::mutex mu;
  std::unordered_map<std::string, Record> index;
  std::unordered_map<std::string, std::shared_future<void>> inflight;
  uint64_t total_bytes = 0;
  CacheStats stats;
  std::atomic<uint64_t> counter{0};
  // Names this process's files in tmp/: a pid is no name in a shared directory, since every
  // container's server is pid 1, and a crashed one's leftover would block the same name.
  const std::string writer = make_token().substr(0, 16);

  std::string shard_dir(const std::string& key) const { return dir + "/" + key.substr(0, 2); }
  std::string entry_dir(const std::string& key) const { return shard_dir(key) + "/" + key; }
  std::string lock_path(const std::string& key) const {
    return shard_dir(key) + "/" + key + ".lock";
  }
  std::string tmp_name(const std::string& what) {
    return dir + "/tmp/" + what + "." + writer + "." + std::to_string(counter.fetch_add(1));
  }

  // Opens the key's lock file and locks it with `operation`, making sure the file we locked
  // is still the one at the path (an evictor may unlink it between our open and flock).
  int lock_key(const std::string& key, int operation, std::string* error) {
    const std::string path = lock_path(key);
    for (int attempt = 0; attempt < 100; ++attempt) {
      int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
      if (fd < 0) {
        *error = errno_text("open " + path);
        return -1;
      }
      int rc;
      while ((rc = flock(fd, operation)) != 0 && errno == EINTR) {
      }
      if (rc != 0) {
        *error = errno_text("flock " + path);
        close(fd);
        return -1;
      }
      if (same_file(fd, path)) return fd;
      close(fd);
    }
    *error = "could not lock " + path;
    return -1;
  }

  static bool same_file(int fd, const std::string& path) {
    struct stat a {
    }, b{};
    return fstat(fd, &a) == 0 && lstat(path.c_str(), &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
  }

  std::optional<Meta> read_meta(const std::string& key) const {
    const std::string entry = entry_dir(key);
    auto text = read_whole_file(entry + "/" + kMetaFile, 1 << 20);
    if (!text) return std::nullopt;
    Meta meta;
    try {
      auto json = nlohmann::json::parse(*text);
      if (json.value("version", 0) != kMetaVersion) return std::nullopt;
      meta.ok = json.at("ok").get<bool>();
      meta.compile_ms = json.at("compile_ms").get<uint64_t>();
    } catch (const nlohmann::json::exception&) {
      return std::nullopt;
    }
    auto diagnostics = read_whole_file(entry + "/" + kDiagnosticsFile, 64 << 20);
    if (!diagnostics) return std::nullopt;
    meta.diagnostics = std::move(*diagnostics);
    return meta;
  }

  void touch(const std::string& key) const {
    const std::string path = entry_dir(key) + "/" + kMetaFile;
    utimensat(AT_FDCWD, path.c_str(), nullptr, AT_SYMLINK_NOFOLLOW);
  }

  int64_t last_use(const std::string& key) const {
    struct stat st {};
    const std::string path = entry_dir(key) + "/" + kMetaFile;
    if (lstat(path.c_str(), &st) != 0) return now_ns();
    return timespec_ns(st.st_mtim);
  }

  // Writes the entry into tmp/ and renames it into place. Called with the key locked exclusively.
  bool publish(const std::string& key, const CompileOutput& output, std::string* error) {
    const std::string tmp = tmp_name(key);
    if (!make_dir(tmp, 0755, error)) return false;
    bool ok = true;
    if (output.ok) {
      ok = make_dir(tmp + "/" + kBoxDirName, 0755, error);
      std::set<std::string> seen;
      for (const auto& artifact : output.artifacts) {
        if (!ok) break;
        if (!valid_artifact_name(artifact.name) || !seen.insert(artifact.name).second) {
          *error = "bad artifact name '" + artifact.name + "'";
          ok = false;
          break;
        }
        ok = write_whole_file(tmp + "/" + kBoxDirName + "/" + artifact.name, artifact.data,
                              artifact.executable ? 0755 : 0644, error);
      }
    }
    if (ok) {
      ok = write_whole_file(tmp + "/" + kDiagnosticsFile, output.diagnostics, 0644, error);
    }
    if (ok) {
      nlohmann::json meta = {
          {"version", kMetaVersion}, {"ok", output.ok}, {"compile_ms", output.time_ms}};
      ok = write_whole_file(tmp + "/" + kMetaFile, meta.dump(), 0644, error);
    }
    if (ok && rename(tmp.c_str(), entry_dir(key).c_str()) != 0) {
      if (errno == EEXIST || errno == ENOTEMPTY) {
        // Someone else's complete entry is already there: theirs wins, ours is dropped.
        remove_tree(tmp);
        return true;
      }
      *error = errno_text("rename into " + entry_dir(key));
      ok = false;
    }
    if (!ok) remove_tree(tmp);
    return ok;
  }

  // Evicts least recently used entries not in use until the bound holds. Called with mu held.
  void evict_locked() {
    std::set<std::string> busy;  // in use by another process right now
    while (total_bytes > max_bytes) {
      const std::string* victim = nullptr;
      int64_t oldest = std::numeric_limits<int64_t>::max();
      for (const auto& [key, record] : index) {
        if (record.uses > 0 || inflight.count(key) != 0 || busy.count(key) != 0) continue;
        if (record.last_use_ns < oldest) {
          oldest = record.last_use_ns;
          victim = &key;
        }
      }
      if (victim == nullptr) return;
      const std::string key = *victim;
      if (!evict_one(key)) {
        busy.insert(key);
        continue;
      }
      total_bytes -= std::min(total_bytes, index[key].bytes);
      index.erase(key);
    }
  }

  // Removes one entry if no process uses it. Returns false when it is busy elsewhere.
  bool evict_one(const std::string& key) {
    const std::string path = lock_path(key);
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) return false;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0 || !same_file(fd, path)) {
      close(fd);
      return false;
    }
    const std::string entry = entry_dir(key);
    const std::string doomed = tmp_name("evict-" + key);
    if (rename(entry.c_str(), doomed.c_str()) == 0) {
      ++stats.evictions;
      remove_tree(doomed);
    }
    unlink(path.c_str());  // still locked: late lockers see a different inode and retry
    close(fd);
    return true;
  }

  // Builds the index from what is on disk, dropping leftovers of crashed writers.
  void scan() {
    DIR* top = opendir(dir.c_str());
    if (top == nullptr) return;
    while (dirent* shard = readdir(top)) {
      std::string name = shard->d_name;
      if (name.size() != 2) continue;
      const std::string shard_path = dir + "/" + name;
      DIR* d = opendir(shard_path.c_str());
      if (d == nullptr) continue;
      while (dirent* e = readdir(d)) {
        std::string key = e->d_name;
        if (!valid_key(key)) continue;
        struct stat st {};
        if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(st.st_mode)) {
          continue;
        }
        struct stat meta {};
        const std::string meta_path = shard_path + "/" + key + "/" + kMetaFile;
        if (lstat(meta_path.c_str(), &meta) != 0) continue;
        Record record;
        record.bytes = entry_bytes(shard_path + "/" + key);
        record.last_use_ns = timespec_ns(meta.st_mtim);
        total_bytes += record.bytes;
        index[key] = std::move(record);
      }
      closedir(d);
    }
    closedir(top);
    const std::string tmp = dir + "/tmp";
    if (DIR* d = opendir(tmp.c_str())) {
      const int64_t now = now_ns();
      std::vector<std::string> stale;
      while (dirent* e = readdir(d)) {
        std::string name = e->d_name;
        if (name == "." || name == "..") continue;
        struct stat st {};
        if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
            now - timespec_ns(st.st_mtim) > kStaleTmpNs) {
          stale.push_back(tmp + "/" + name);
        }
      }
      closedir(d);
      for (const auto& path : stale) remove_tree(path);
    }
  }
};

CompileCache::CompileCache(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

CompileCache::~CompileCache() {
  for (auto& [key, record] : impl_->index) {
    if (record.lock_fd >= 0) close(record.lock_fd);
  }
}

std::shared_ptr<CompileCache> CompileCache::open(const std::string& dir, uint64_t max_bytes,
                                                 std::string* error) {
  std::string local_error;
  if (error == nullptr) error = &local_error;
  if (dir.empty() || dir[0] != '/') {
    *error = "cache directory must be an absolute path: '" + dir + "'";
    return nullptr;
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  struct stat st {};
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    *error = "cache directory " + dir + " cannot be created" + (ec ? ": " + ec.message() : "");
    return nullptr;
  }
  // Sandboxed programs reach entries through bind mounts made with their own uids, which need
  // to traverse the cache directory.
  if ((st.st_mode & 0005) != 0005 && chmod(dir.c_str(), st.st_mode | 0755) != 0) {
    *error = errno_text("chmod " + dir);
    return nullptr;
  }
  if (!make_dir(dir + "/tmp", 0755, error)) return nullptr;
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  while (impl->dir.size() > 1 && impl->dir.back() == '/') impl->dir.pop_back();
  impl->max_bytes = max_bytes;
  impl->scan();
  std::shared_ptr<CompileCache> cache(new CompileCache(std::move(impl)));
  cache->self_ = cache;
  {
    std::lock_guard<std::mutex> lock(cache->impl_->mu);
    cache->impl_->evict_locked();
  }
  return cache;
}

std::shared_ptr<const CompileCache::Entry> CompileCache::get_or_compile(const std::string& key,
                                                                        const CompileFn& compile,
                                                                        std::string* error) {
  std::string local_error;
  if (error == nullptr) error = &local_error;
  if (!valid_key(key)) {
    *error = "bad cache key '" + key + "'";
    return nullptr;
  }
  Impl& impl = *impl_;
  auto make_entry = [&](const Impl::Record& record, bool cached) {
    std::shared_ptr<Entry> entry(new Entry());
    entry->owner_ = self_.lock();
    entry->key_ = key;
    entry->ok_ = record.meta.ok;
    entry->diagnostics_ = record.meta.diagnostics;
    entry->compile_ms_ = record.meta.compile_ms;
    entry->cached_ = cached;
    if (record.meta.ok) entry->box_dir_ = impl.entry_dir(key) + "/" + kBoxDirName;
    return entry;
  };

  for (;;) {
    std::unique_lock<std::mutex> lock(impl.mu);
    if (auto it = impl.inflight.find(key); it != impl.inflight.end()) {
      std::shared_future<void> pending = it->second;
      lock.unlock();
      pending.wait();
      continue;
    }
    if (auto it = impl.index.find(key); it != impl.index.end() && it->second.uses > 0) {
      Impl::Record& record = it->second;
      ++record.uses;
      record.last_use_ns = now_ns();
      ++impl.stats.hits;
      auto entry = make_entry(record, true);
      lock.unlock();
      impl.touch(key);
      return entry;
    }
    std::promise<void> done;
    impl.inflight.emplace(key, done.get_future().share());
    lock.unlock();

    // Slow path, without the mutex: take the key's lock (shared to use, exclusive to compile).
    bool compiled = false;
    bool failed = false;
    Meta meta;
    int fd = -1;
    if (!make_dir(impl.shard_dir(key), 0755, error)) {
      failed = true;
    } else {
      fd = impl.lock_key(key, LOCK_SH, error);
      failed = fd < 0;
    }
    if (!failed) {
      if (auto existing = impl.read_meta(key)) {
        meta = std::move(*existing);
      } else {
        // Convert to exclusive. flock conversion is not atomic, so look again afterwards:
        // another process may have compiled (or even evicted and unlinked the lock) meanwhile.
        close(fd);
        fd = impl.lock_key(key, LOCK_EX, error);
        failed = fd < 0;
        if (!failed) {
          if (auto again = impl.read_meta(key)) {
            meta = std::move(*again);
          } else {
            CompileOutput output = compile();
            if (!output.internal_error.empty()) {
              *error = output.internal_error;
              failed = true;
            } else if (!impl.publish(key, output, error)) {
              failed = true;
            } else if (auto written = impl.read_meta(key)) {
              meta = std::move(*written);
              compiled = true;
            } else {
              *error = "cache entry " + impl.entry_dir(key) + " unreadable after writing it";
              failed = true;
            }
          }
          if (!failed) flock(fd, LOCK_SH);  // downgrade: others may use it now
        }
      }
    }
    if (failed && fd >= 0) {
      close(fd);
      fd = -1;
    }
    if (!failed && !compiled) impl.touch(key);
    const uint64_t bytes = failed ? 0 : entry_bytes(impl.entry_dir(key));

    lock.lock();
    impl.inflight.erase(key);
    done.set_value();
    if (failed) return nullptr;
    Impl::Record& record = impl.index[key];
    impl.total_bytes -= std::min(impl.total_bytes, record.bytes);
    record.bytes = bytes;
    impl.total_bytes += record.bytes;
    record.last_use_ns = now_ns();
    record.uses = 1;
    record.lock_fd = fd;
    record.meta = std::move(meta);
    if (compiled) {
      ++impl.stats.misses;
    } else {
      ++impl.stats.hits;
    }
    auto entry = make_entry(record, !compiled);
    impl.evict_locked();
    return entry;
  }
}

void CompileCache::release(const std::string& key) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  auto it = impl_->index.find(key);
  if (it == impl_->index.end()) return;
  if (--it->second.uses > 0) return;
  if (it->second.lock_fd >= 0) close(it->second.lock_fd);
  it->second.lock_fd = -1;
  it->second.meta = Meta{};
  impl_->evict_locked();
}

CompileCache::Entry::~Entry() {
  if (owner_) owner_->release(key_);
}

CacheStats CompileCache::stats() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  CacheStats stats = impl_->stats;
  stats.entries = impl_->index.size();
  stats.bytes = impl_->total_bytes;
  return stats;
}

const std::string& CompileCache::dir() const {
  return impl_->dir;
}

}  // namespace codejudge::judges
