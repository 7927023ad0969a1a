#include "warm.h"

#include <cstdint>
#include <cstring>

namespace codejudge::sandbox {
namespace {

class Writer {
 public:
  void number(uint64_t value) { bytes(&value, sizeof value); }
  void text(std::string_view value) {
    number(value.size());
    out_.append(value);
  }
  void bytes(const void* data, size_t size) { out_.append(static_cast<const char*>(data), size); }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool number(uint64_t* value) { return bytes(value, sizeof *value); }
  bool count(size_t* value, size_t most) {
    uint64_t n = 0;
    if (!number(&n) || n > most) return false;
    *value = static_cast<size_t>(n);
    return true;
  }
  bool text(std::string* value) {
    size_t size = 0;
    if (!count(&size, in_.size())) return false;
    value->assign(in_.substr(0, size));
    in_.remove_prefix(size);
    return true;
  }
  bool bytes(void* data, size_t size) {
    if (in_.size() < size) return false;
    memcpy(data, in_.data(), size);
    in_.remove_prefix(size);
    return true;
  }
  bool done() const { return in_.empty(); }

 private:
  std::string_view in_;
};

}  // namespace

std::string encode_warm_request(const WarmRequest& request) {
  Writer w;
  w.number(request.ops.size());
  for (const MountOp& op : request.ops) {
    w.number(static_cast<uint64_t>(op.kind));
    w.text(op.target);
    w.text(op.source);
    w.number(op.flags);
  }
  w.number(request.copies.size());
  for (const WarmCopy& copy : request.copies) {
    w.text(copy.target);
    w.text(copy.tmpfs_options);
    w.number(copy.names.size());
    for (const std::string& name : copy.names) w.text(name);
  }
  w.text(request.cwd);
  w.number(request.rlimits.size());
  for (const ChildPlan::Limit& limit : request.rlimits) {
    w.number(static_cast<uint64_t>(limit.resource));
    w.number(limit.value.rlim_cur);
    w.number(limit.value.rlim_max);
  }
  w.number(request.seccomp.size());
  w.bytes(request.seccomp.data(), request.seccomp.size() * sizeof(sock_filter));
  w.number(request.seccomp_notify ? 1 : 0);
  for (const auto* list : {&request.argv, &request.env}) {
    w.number(list->size());
    for (const std::string& item : *list) w.text(item);
  }
  return w.take();
}

bool decode_warm_request(std::string_view bytes, WarmRequest* request) {
  Reader r(bytes);
  constexpr size_t kMany = 4096;
  size_t n = 0;
  uint64_t value = 0;
  if (!r.count(&n, kMany)) return false;
  request->ops.resize(n);
  for (MountOp& op : request->ops) {
    if (!r.number(&value) || value > static_cast<uint64_t>(MountOp::Kind::kProc)) return false;
    op.kind = static_cast<MountOp::Kind>(value);
    if (!r.text(&op.target) || !r.text(&op.source) || !r.number(&value)) return false;
    op.flags = value;
  }
  if (!r.count(&n, kMaxWarmCopies)) return false;
  request->copies.resize(n);
  for (WarmCopy& copy : request->copies) {
    if (!r.text(&copy.target) || !r.text(&copy.tmpfs_options) || !r.count(&n, kMany)) return false;
    copy.names.resize(n);
    for (std::string& name : copy.names) {
      if (!r.text(&name)) return false;
    }
  }
  if (!r.text(&request->cwd) || !r.count(&n, kMany)) return false;
  request->rlimits.resize(n);
  for (ChildPlan::Limit& limit : request->rlimits) {
    if (!r.number(&value)) return false;
    limit.resource = static_cast<int>(value);
    if (!r.number(&value)) return false;
    limit.value.rlim_cur = value;
    if (!r.number(&value)) return false;
    limit.value.rlim_max = value;
  }
  if (!r.count(&n, 65535)) return false;  // sock_fprog's length is 16 bits
  request->seccomp.resize(n);
  if (!r.bytes(request->seccomp.data(), n * sizeof(sock_filter)) || !r.number(&value)) return false;
  request->seccomp_notify = value != 0;
  for (auto* list : {&request->argv, &request->env}) {
    if (!r.count(&n, kMany)) return false;
    list->resize(n);
    for (std::string& item : *list) {
      if (!r.text(&item)) return false;
    }
  }
  return r.done();
}

}  // namespace codejudge::sandbox
