// Paths of the files a free-form run places and fetches (SandboxFusion's files, fetch_files).
#include "codejudge/judges/run_files.h"

#include <gtest/gtest.h>

namespace codejudge::judges {
namespace {

TEST(RunFiles, PathsResolveIntoTheWorkingDirectoryOrMnt) {
  struct Case {
    const char* path;
    const char* area;
    const char* inside;
  };
  for (const Case& c :
       {Case{"a.txt", "/work", "a.txt"}, Case{"dir1/dir2/f", "/work", "dir1/dir2/f"},
        Case{"./a//b/./c", "/work", "a/b/c"}, Case{"/work/x", "/work", "x"},
        Case{"/mnt/b", "/mnt", "b"}, Case{"//mnt/d/e", "/mnt", "d/e"}}) {
    std::string error;
    std::optional<RunPath> resolved = resolve_run_path(c.path, &error);
    ASSERT_TRUE(resolved) << c.path << ": " << error;
    EXPECT_EQ(resolved->area, c.area) << c.path;
    EXPECT_EQ(resolved->inside, c.inside) << c.path;
  }
}

TEST(RunFiles, PathsOutsideTheRunsAreasAreRefusedWithTheReason) {
  struct Case {
    const char* path;
    const char* why;
  };
  for (const Case& c :
       {Case{"../x", "'..'"}, Case{"a/../../x", "'..'"}, Case{"/etc/passwd", "under /work or /mnt"},
        Case{"/workshop/x", "under /work or /mnt"}, Case{"/work", "names no file"},
        Case{"/mnt/", "names no file"}, Case{"", "names no file"}, Case{".", "names no file"},
        Case{"/", "names no file"}}) {
    std::string error;
    EXPECT_FALSE(resolve_run_path(c.path, &error)) << c.path;
    EXPECT_NE(error.find(c.why), std::string::npos) << c.path << ": " << error;
  }
  std::string error;
  EXPECT_FALSE(resolve_run_path(std::string("a\0b", 3), &error));
}

TEST(RunFiles, ALayoutThatCannotBeMadeIsARequestError) {
  std::string error;
  EXPECT_TRUE(
      check_run_files({{{"a/b", "1"}, {"a/c", "2"}, {"/mnt/a", "3"}}, {"a/b", "zz"}}, &error))
      << error;
  EXPECT_FALSE(check_run_files({{{"a", "1"}, {"a/b", "2"}}, {}}, &error));
  EXPECT_NE(error.find("both a file and a directory"), std::string::npos) << error;
  EXPECT_FALSE(check_run_files({{{"a", "1"}, {"/work/a", "2"}}, {}}, &error));
  EXPECT_NE(error.find("twice"), std::string::npos) << error;
  EXPECT_FALSE(check_run_files({{}, {"../up"}}, &error));
}

}  // namespace
}  // namespace codejudge::judges
