// codejudge-train's presets: named sets of flags, applied before the flags given (which override
// them). Data only: each is a list of ordinary flags, shown by `codejudge-train --help`.
#pragma once

#include <string>
#include <vector>

namespace codejudge::train_cli {

struct Preset {
  const char* name;
  const char* summary;  // one line for --help
  std::vector<std::string> flags;
};

// tiny, cpu, small, h100; the first is not the default (kDefaultPreset is).
const std::vector<Preset>& presets();
inline constexpr const char* kDefaultPreset = "h100";

}  // namespace codejudge::train_cli
