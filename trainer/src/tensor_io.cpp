#include "codejudge/trainer/tensor_io.h"

#include <cstring>
#include <fstream>
#include <sstream>

namespace codejudge::trainer {

namespace {

constexpr char kMagic[9] = "CJTENS01";

void set_error(std::string* error, const std::string& message) {
  if (error) *error = message;
}

}  // namespace

bool save_tensor_bundle(const std::string& path, const TensorBundle& bundle, std::string* error) {
  nlohmann::json header = {{"meta", bundle.meta}, {"tensors", nlohmann::json::array()}};
  std::vector<torch::Tensor> data;
  uint64_t offset = 0;
  for (const auto& [name, tensor] : bundle.tensors) {
    bool integer = !tensor.is_floating_point();
    torch::Tensor t =
        tensor.detach().to(torch::kCPU, integer ? torch::kLong : torch::kFloat).contiguous();
    header["tensors"].push_back({{"name", name},
                                 {"dtype", integer ? "i64" : "f32"},
                                 {"shape", t.sizes().vec()},
                                 {"offset", offset}});
    offset += static_cast<uint64_t>(t.numel() * t.element_size());
    data.push_back(t);
  }
  std::string text = header.dump();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) {
    set_error(error, "cannot write " + path);
    return false;
  }
  uint64_t length = text.size();
  out.write(kMagic, 8);
  out.write(reinterpret_cast<const char*>(&length), 8);  // little-endian hosts only (x86, arm64)
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  for (const torch::Tensor& t : data) {
    out.write(static_cast<const char*>(t.data_ptr()),
              static_cast<std::streamsize>(t.numel() * t.element_size()));
  }
  if (!out) {
    set_error(error, "write failed: " + path);
    return false;
  }
  return true;
}

std::optional<TensorBundle> load_tensor_bundle(const std::string& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    set_error(error, "cannot read " + path);
    return std::nullopt;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string bytes = buffer.str();
  if (bytes.size() < 16 || std::memcmp(bytes.data(), kMagic, 8) != 0) {
    set_error(error, path + ": not a tensor bundle");
    return std::nullopt;
  }
  uint64_t length = 0;
  std::memcpy(&length, bytes.data() + 8, 8);
  if (16 + length > bytes.size()) {
    set_error(error, path + ": truncated header");
    return std::nullopt;
  }
  nlohmann::json header = nlohmann::json::parse(bytes.substr(16, length), nullptr, false);
  if (header.is_discarded() || !header.is_object()) {
    set_error(error, path + ": bad header");
    return std::nullopt;
  }
  TensorBundle bundle;
  size_t base = 16 + length;
  try {
    bundle.meta = header.value("meta", nlohmann::json::object());
    for (const auto& entry : header.at("tensors")) {
      std::vector<int64_t> shape = entry.at("shape").get<std::vector<int64_t>>();
      bool integer = entry.at("dtype").get<std::string>() == "i64";
      uint64_t offset = entry.at("offset").get<uint64_t>();
      torch::Tensor t = torch::empty(shape, integer ? torch::kLong : torch::kFloat);
      size_t size = static_cast<size_t>(t.numel() * t.element_size());
      if (base + offset + size > bytes.size()) {
        set_error(error, path + ": tensor data out of range");
        return std::nullopt;
      }
      std::memcpy(t.data_ptr(), bytes.data() + base + offset, size);
      bundle.tensors[entry.at("name").get<std::string>()] = t;
    }
  } catch (const nlohmann::json::exception& e) {
    set_error(error, path + ": " + e.what());
    return std::nullopt;
  }
  return bundle;
}

}  // namespace codejudge::trainer
