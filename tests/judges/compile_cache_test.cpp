// The compile cache on its own, with fake compile functions: hits, CE caching, concurrent
// identical compiles (threads and processes), LRU eviction, persistence and atomic writes.
#include "codejudge/judges/compile_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

namespace codejudge::judges {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    char path[] = "/tmp/codejudge-cache-test-XXXXXX";
    path_ = mkdtemp(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string key_of(const std::string& text) {
  return sha256_hex(text);
}

CompileOutput success(const std::string& binary) {
  CompileOutput output;
  output.ok = true;
  output.diagnostics = "warning: fine";
  output.time_ms = 5;
  output.artifacts.push_back({"main", binary, true});
  output.artifacts.push_back({"extra.class", "cafebabe", false});
  return output;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  std::string with_nul("a\0b", 3);
  EXPECT_NE(sha256_hex(with_nul), sha256_hex("a"));
}

TEST(CompileCache, SecondLookupIsAHitAndFilesAreThere) {
  TempDir dir;
  std::string error;
  auto cache = CompileCache::open(dir.path(), 1 << 20, &error);
  ASSERT_NE(cache, nullptr) << error;
  int compiles = 0;
  auto compile = [&] {
    ++compiles;
    return success("BINARY");
  };
  const std::string key = key_of("source 1");
  {
    auto entry = cache->get_or_compile(key, compile, &error);
    ASSERT_NE(entry, nullptr) << error;
    EXPECT_TRUE(entry->ok());
    EXPECT_FALSE(entry->cached());
    EXPECT_EQ(entry->diagnostics(), "warning: fine");
    EXPECT_EQ(entry->compile_ms(), 5u);
    EXPECT_EQ(read_file(entry->box_dir() + "/main"), "BINARY");
    EXPECT_EQ(read_file(entry->box_dir() + "/extra.class"), "cafebabe");
    struct stat st {};
    ASSERT_EQ(stat((entry->box_dir() + "/main").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0755u);
    ASSERT_EQ(stat((entry->box_dir() + "/extra.class").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0644u);
  }
  auto again = cache->get_or_compile(key, compile, &error);
  ASSERT_NE(again, nullptr) << error;
  EXPECT_TRUE(again->cached());
  EXPECT_EQ(read_file(again->box_dir() + "/main"), "BINARY");
  EXPECT_EQ(compiles, 1);
  CacheStats stats = cache->stats();
  EXPECT_EQ(stats.misses, 1u);
  EXPECT_EQ(stats.hits, 1u);
  EXPECT_EQ(stats.entries, 1u);
  EXPECT_GT(stats.bytes, 0u);
}

TEST(CompileCache, CompileErrorsAreCachedWithTheirDiagnostics) {
  TempDir dir;
  std::string error;
  auto cache = CompileCache::open(dir.path(), 1 << 20, &error);
  ASSERT_NE(cache, nullptr) << error;
  int compiles = 0;
  auto compile = [&] {
    ++compiles;
    CompileOutput output;
    output.ok = false;
    output.diagnostics = std::string("main.cpp:1:1: error: \xff bad\0tail", 31);
    return output;
  };
  const std::string key = key_of("broken");
  for (int i = 0; i < 3; ++i) {
    auto entry = cache->get_or_compile(key, compile, &error);
    ASSERT_NE(entry, nullptr) << error;
    EXPECT_FALSE(entry->ok());
    EXPECT_TRUE(entry->box_dir().empty());
    // Raw bytes survive: invalid UTF-8 and NULs included.
    EXPECT_EQ(entry->diagnostics(), std::string("main.cpp:1:1: error: \xff bad\0tail", 31));
    EXPECT_EQ(entry->cached(), i > 0);
  }
  EXPECT_EQ(compiles, 1);
}

TEST(CompileCache, InternalErrorsAreNotCached) {
  TempDir dir;
  std::string error;
  auto cache = CompileCache::open(dir.path(), 1 << 20, &error);
  ASSERT_NE(cache, nullptr) << error;
  int compiles = 0;
  auto failing = [&] {
    ++compiles;
    CompileOutput output;
    output.internal_error = "scratch dir: no space";
    return output;
  };
  const std::string key = key_of("flaky");
  EXPECT_EQ(cache->get_or_compile(key, failing, &error), nullptr);
  EXPECT_EQ(error, "scratch dir: no space");
  auto entry = cache->get_or_compile(
      key,
      [&] {
        ++compiles;
        return success("OK");
      },
      &error);
  ASSERT_NE(entry, nullptr) << error;
  EXPECT_TRUE(entry->ok());
  EXPECT_EQ(compiles, 2);
}

TEST(CompileCache, RejectsBadKeysAndArtifactNames) {
  TempDir dir;
  std::string error;
  auto cache = CompileCache::open(dir.path(), 1 << 20, &error);
  ASSERT_NE(cache, nullptr) << error;
  EXPECT_EQ(cache->get_or_compile(
                "../../etc", [] { return success("x"); }, &error),
            nullptr);
  EXPECT_NE(error.find("bad cache key"), std::string::npos);
  auto escaping = [] {
    CompileOutput output;
    output.ok = true;
    output.artifacts.push_back({"../escape", "x", false});
    return output;
  };
  EXPECT_EQ(cache->get_or_compile(key_of("escape"), escaping, &error), nullptr);
  EXPECT_FALSE(fs::exists(dir.path() + "/escape"));
  EXPECT_FALSE(fs::exists(dir.path() + "/" + key_of("escape").substr(0, 2) + "/escape"));
  EXPECT_EQ(CompileCache::open("relative/dir", 1, &error), nullptr);
}

TEST(CompileCache, ConcurrentIdenticalRequestsCompileOnce) {
  TempDir dir;
  std::string error;
  auto cache = CompileCache::open(dir.path(), 1 << 20, &error);
  ASSERT_NE(cache, nullptr) << error;
  std::atomic<int> compiles{0};
  const std::string key = key_of("popular");
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  std::atomic<int> cached{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      std::string thread_error;
      auto entry = cache->get_or_compile(
          key,
          [&] {
            ++compiles;
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            return success("SHARED");
          },
          &thread_error);
      if (entry && entry->ok() && read_file(entry->box_dir() + "/main") == "SHARED") ++ok;
      if (entry && entry->cached()) ++cached;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(compiles.load(), 1);
  EXPECT_EQ(ok.load(), 8);
  EXPECT_EQ(cached.load(), 7);
  EXPECT_EQ(cache->stats().misses, 1u);
  EXPECT_EQ(cache->stats().hits, 7u);
}

TEST(CompileCache, ConcurrentProcessesCompileOnce) {
  TempDir dir;
  const std::string key = key_of("across processes");
  const std::string marker_dir = dir.path() + "-markers";
  fs::create_directories(marker_dir);
  // Each child opens its own cache on the shared directory; the compile leaves a marker.
  std::vector<pid_t> children;
  for (int i = 0; i < 4; ++i) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      std::string child_error;
      auto cache = CompileCache::open(dir.path(), 1 << 20, &child_error);
      if (!cache) _exit(2);
      auto entry = cache->get_or_compile(
          key,
          [&] {
            std::ofstream(marker_dir + "/" + std::to_string(getpid())) << "compiled";
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            return success("FROM A CHILD");
          },
          &child_error);
      if (!entry || read_file(entry->box_dir() + "/main") != "FROM A CHILD") _exit(3);
      _exit(0);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  }
  size_t markers = 0;
  for (const auto& e : fs::directory_iterator(marker_dir)) {
    (void)e;
    ++markers;
  }
  EXPECT_EQ(markers, 1u);
  fs::remove_all(marker_dir);
}

TEST(CompileCache, EvictsLeastRecentlyUsedUnderTheByteBound) {
  TempDir dir;
  std::string error;
  // Each entry is ~1000 bytes of artifact plus small metadata: room for two.
  auto cache = CompileCache::open(dir.path(), 2500, &error);
  ASSERT_NE(cache, nullptr) << error;
  int compiles = 0;
  auto compile_of = [&](char fill) {
    return [&compiles, fill] {
      ++compiles;
      CompileOutput output;
      output.ok = true;
      output.artifacts.push_back({"main", std::string(1000, fill), true});
      return output;
    };
  };
  const std::string a = key_of("a"), b = key_of("b"), c = key_of("c");
  ASSERT_NE(cache->get_or_compile(a, compile_of('a'), &error), nullptr);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_NE(cache->get_or_compile(b, compile_of('b'), &error), nullptr);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  // Touch a again: b is now the least recently used.
  ASSERT_NE(cache->get_or_compile(a, compile_of('a'), &error), nullptr);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_NE(cache->get_or_compile(c, compile_of('c'), &error), nullptr);
  EXPECT_EQ(compiles, 3);
  CacheStats stats = cache->stats();
  EXPECT_EQ(stats.evictions, 1u);
  EXPECT_EQ(stats.entries, 2u);
  EXPECT_LE(stats.bytes, 2500u);
  EXPECT_FALSE(fs::exists(dir.path() + "/" + b.substr(0, 2) + "/" + b));
  EXPECT_TRUE(fs::exists(dir.path() + "/" + a.substr(0, 2) + "/" + a));
  // b must compile again; a is still a hit.
  ASSERT_NE(cache->get_or_compile(a, compile_of('a'), &error), nullptr);
  EXPECT_EQ(compiles, 3);
  ASSERT_NE(cache->get_or_compile(b, compile_of('b'), &error), nullptr);
  EXPECT_EQ(compiles, 4);
}

TEST(CompileCache, EntriesInUseAreNotEvicted) {
  TempDir dir;
  std::string error;
  auto cache = CompileCache::open(dir.path(), 1500, &error);
  ASSERT_NE(cache, nullptr) << error;
  auto compile_of = [](char fill) {
    return [fill] {
      CompileOutput output;
      output.ok = true;
      output.artifacts.push_back({"main", std::string(1000, fill), true});
      return output;
    };
  };
  auto held = cache->get_or_compile(key_of("held"), compile_of('h'), &error);
  ASSERT_NE(held, nullptr) << error;
  auto other = cache->get_or_compile(key_of("other"), compile_of('o'), &error);
  ASSERT_NE(other, nullptr) << error;
  // Both are in use, so both stay (over the bound) until released.
  EXPECT_EQ(read_file(held->box_dir() + "/main"), std::string(1000, 'h'));
  EXPECT_EQ(read_file(other->box_dir() + "/main"), std::string(1000, 'o'));
  EXPECT_EQ(cache->stats().evictions, 0u);
  held.reset();
  EXPECT_EQ(cache->stats().evictions, 1u);
  EXPECT_EQ(read_file(other->box_dir() + "/main"), std::string(1000, 'o'));
}

TEST(CompileCache, IndexSurvivesReopenAndEntriesAreHits) {
  TempDir dir;
  std::string error;
  const std::string key = key_of("persistent");
  {
    auto cache = CompileCache::open(dir.path(), 1 << 20, &error);
    ASSERT_NE(cache, nullptr) << error;
    ASSERT_NE(cache->get_or_compile(
                  key, [] { return success("KEPT"); }, &error),
              nullptr);
  }
  // A leftover of a writer that crashed long ago is removed at start-up.
  const std::string stale = dir.path() + "/tmp/stale-entry";
  fs::create_directories(stale);
  struct timespec old_times[2] = {{1000, 0}, {1000, 0}};
  ASSERT_EQ(utimensat(AT_FDCWD, stale.c_str(), old_times, 0), 0);
  auto cache = CompileCache::open(dir.path(), 1 << 20, &error);
  ASSERT_NE(cache, nullptr) << error;
  EXPECT_FALSE(fs::exists(stale));
  CacheStats stats = cache->stats();
  EXPECT_EQ(stats.entries, 1u);
  EXPECT_GT(stats.bytes, 4u);
  bool compiled = false;
  auto entry = cache->get_or_compile(
      key,
      [&] {
        compiled = true;
        return success("NEW");
      },
      &error);
  ASSERT_NE(entry, nullptr) << error;
  EXPECT_FALSE(compiled);
  EXPECT_EQ(read_file(entry->box_dir() + "/main"), "KEPT");
  // Re-opening with a smaller bound evicts down to it.
  entry.reset();
  cache.reset();
  auto small = CompileCache::open(dir.path(), 1, &error);
  ASSERT_NE(small, nullptr) << error;
  EXPECT_EQ(small->stats().entries, 0u);
  EXPECT_EQ(small->stats().evictions, 1u);
}

TEST(CompileCache, DirectoryIsTraversableBySandboxUsers) {
  TempDir dir;  // mkdtemp makes it 0700
  std::string error;
  auto cache = CompileCache::open(dir.path(), 1 << 20, &error);
  ASSERT_NE(cache, nullptr) << error;
  struct stat st {};
  ASSERT_EQ(stat(dir.path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0005, 0005u);
  auto entry = cache->get_or_compile(
      key_of("perm"), [] { return success("x"); }, &error);
  ASSERT_NE(entry, nullptr) << error;
  for (std::string path = entry->box_dir(); path.size() > dir.path().size();
       path = fs::path(path).parent_path().string()) {
    ASSERT_EQ(stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0005, 0005u) << path;
  }
}

}  // namespace
}  // namespace codejudge::judges
