// Which LibTorch this file is compiled against: Debian's 1.13 (CPU) or PyTorch's 2.x (CUDA).
#pragma once

#include <torch/version.h>

#define CODEJUDGE_TORCH_AT_LEAST(major, minor) \
  (TORCH_VERSION_MAJOR > (major) ||            \
   (TORCH_VERSION_MAJOR == (major) && TORCH_VERSION_MINOR >= (minor)))
