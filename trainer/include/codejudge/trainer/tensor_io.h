// A plain tensor file shared with the Python reference (trainer/python/reference_model.py):
//   8 bytes "CJTENS01", 8 bytes little-endian header length, the JSON header
//   {"meta": {...}, "tensors": [{"name", "dtype": "f32"|"i64", "shape", "offset"}]},
//   then the raw little-endian data (offsets from the end of the header).
// No pickles, so either side can read what the other wrote.
#pragma once

#include <map>
#include <optional>
#include <string>

#include <torch/torch.h>
#include <nlohmann/json.hpp>

namespace codejudge::trainer {

struct TensorBundle {
  nlohmann::json meta = nlohmann::json::object();
  std::map<std::string, torch::Tensor> tensors;  // float32 or int64, on the CPU
};

// Floating tensors are written as float32, integer ones as int64.
bool save_tensor_bundle(const std::string& path, const TensorBundle& bundle, std::string* error);
std::optional<TensorBundle> load_tensor_bundle(const std::string& path, std::string* error);

}  // namespace codejudge::trainer
