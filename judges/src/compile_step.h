// The compile unit of a judge() call: one source (the submission's program, a harness, a
// custom checker) compiled in the sandbox, through the compile cache.
#pragma once

#include <memory>
#include <string>

#include "codejudge/judges/compile_cache.h"
#include "codejudge/judges/harness.h"
#include "codejudge/judges/judge.h"
#include "codejudge/judges/language.h"
#include "codejudge/sandbox/sandbox.h"

namespace codejudge::judges {

// What compiling one source gave: an entry held in use, or an internal error.
struct Compiled {
  std::shared_ptr<const CompileCache::Entry> entry;
  CompileInfo info;
  std::string internal_error;  // non-empty: IE
};

class Compiler {
 public:
  // Compiles in scratch directories under scratch_parent; box and cache outlive this.
  Compiler(sandbox::Sandbox& box, CompileCache& cache, std::string scratch_parent,
           bool warm_runtimes)
      : box_(box),
        cache_(cache),
        scratch_parent_(std::move(scratch_parent)),
        warm_runtimes_(warm_runtimes) {}

  // Compiles with the language's compiler, or with the recipe of a harness that is the same for
  // every submission (python's harnesses are byte-compiled once per interpreter version).
  Compiled compile(const Language& language, const std::string& file_name,
                   const std::string& source, const CompileRecipe* harness_recipe = nullptr);

 private:
  // The sandboxed compile of one source, for the cache. Failures of ours go in internal_error.
  CompileOutput compile_now(const Language& language, const std::string& file_name,
                            const std::string& source, const CompileRecipe& recipe);

  sandbox::Sandbox& box_;
  CompileCache& cache_;
  const std::string scratch_parent_;
  const bool warm_runtimes_;
};

}  // namespace codejudge::judges
