#include "durable/store/codec.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace durable::store::codec {

void PutVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

bool GetVarint(std::string_view in, size_t& pos, uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64 && pos < in.size(); shift += 7) {
    uint8_t byte = static_cast<uint8_t>(in[pos++]);
    v |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return true;
  }
  return false;
}

namespace {

constexpr uint8_t kFormatVersion = 1;

class Writer {
 public:
  Writer() { out_.push_back(static_cast<char>(kFormatVersion)); }
  void U(uint64_t v) { PutVarint(out_, v); }
  void I(int64_t v) { U((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63)); }
  void B(bool v) { out_.push_back(v ? 1 : 0); }
  void S(std::string_view s) {
    U(s.size());
    out_.append(s);
  }
  template <typename T, typename F>
  void Opt(const std::optional<T>& o, F write) {
    B(o.has_value());
    if (o) write(*o);
  }
  void OptS(const std::optional<std::string>& o) {
    Opt(o, [this](const std::string& s) { S(s); });
  }
  template <typename Int>
  void OptI(const std::optional<Int>& o) {
    Opt(o, [this](Int v) { I(v); });
  }
  void OptB(const std::optional<bool>& o) {
    Opt(o, [this](bool v) { B(v); });
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

// Reads with a sticky failure flag: after the first error every read returns a default value.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {
    if (in_.empty() || static_cast<uint8_t>(in_[0]) != kFormatVersion) failed_ = true;
    pos_ = 1;
  }
  uint64_t U() {
    uint64_t v = 0;
    if (!failed_ && GetVarint(in_, pos_, v)) return v;
    failed_ = true;
    return 0;
  }
  int64_t I() {
    uint64_t u = U();
    return static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
  }
  bool B() {
    if (failed_ || pos_ >= in_.size() || static_cast<uint8_t>(in_[pos_]) > 1) {
      failed_ = true;
      return false;
    }
    return in_[pos_++] == 1;
  }
  std::string S() {
    uint64_t n = U();
    if (failed_ || n > in_.size() - pos_) {
      failed_ = true;
      return {};
    }
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  template <typename E>
  E Enum(int count) {
    uint64_t v = U();
    if (v >= static_cast<uint64_t>(count)) failed_ = true;
    return failed_ ? E{} : static_cast<E>(v);
  }
  template <typename T, typename F>
  std::optional<T> Opt(F read) {
    if (!B()) return std::nullopt;
    T v = read();
    return failed_ ? std::nullopt : std::optional<T>(std::move(v));
  }
  std::optional<std::string> OptS() {
    return Opt<std::string>([this] { return S(); });
  }
  template <typename Int>
  std::optional<Int> OptI() {
    return Opt<Int>([this] { return static_cast<Int>(I()); });
  }
  std::optional<bool> OptB() {
    return Opt<bool>([this] { return B(); });
  }
  bool failed() const { return failed_; }
  Status Finish(std::string_view what) const {
    if (failed_ || pos_ != in_.size()) return Internal("corrupt stored " + std::string(what));
    return Status::Ok();
  }

 private:
  std::string_view in_;
  size_t pos_ = 0;
  bool failed_ = false;
};

void PutError(Writer& w, const model::ErrorObject& e) {
  w.OptS(e.error_type);
  w.OptS(e.error_message);
  w.OptS(e.error_data);
  w.Opt(e.stack_trace, [&w](const std::vector<std::string>& lines) {
    w.U(lines.size());
    for (const std::string& line : lines) w.S(line);
  });
}

model::ErrorObject GetError(Reader& r) {
  model::ErrorObject e;
  e.error_type = r.OptS();
  e.error_message = r.OptS();
  e.error_data = r.OptS();
  e.stack_trace = r.Opt<std::vector<std::string>>([&r] {
    std::vector<std::string> lines;
    for (uint64_t n = r.U(), i = 0; i < n && !r.failed(); ++i) lines.push_back(r.S());
    return lines;
  });
  return e;
}

void PutOptError(Writer& w, const std::optional<model::ErrorObject>& e) {
  w.Opt(e, [&w](const model::ErrorObject& v) { PutError(w, v); });
}
std::optional<model::ErrorObject> GetOptError(Reader& r) {
  return r.Opt<model::ErrorObject>([&r] { return GetError(r); });
}

void PutDetails(Writer& w, const model::Operation& op) {
  w.Opt(op.execution_details, [&w](const model::ExecutionDetails& d) { w.OptS(d.input_payload); });
  w.Opt(op.context_details, [&w](const model::ContextDetails& d) {
    w.OptB(d.replay_children);
    w.OptS(d.result);
    PutOptError(w, d.error);
  });
  w.Opt(op.step_details, [&w](const model::StepDetails& d) {
    w.I(d.attempt);
    w.OptI(d.next_attempt_timestamp);
    w.OptS(d.result);
    PutOptError(w, d.error);
  });
  w.Opt(op.wait_details, [&w](const model::WaitDetails& d) { w.OptI(d.scheduled_end_timestamp); });
  w.Opt(op.callback_details, [&w](const model::CallbackDetails& d) {
    w.OptS(d.callback_id);
    w.OptS(d.result);
    PutOptError(w, d.error);
  });
  w.Opt(op.chained_invoke_details, [&w](const model::ChainedInvokeDetails& d) {
    w.OptS(d.result);
    PutOptError(w, d.error);
  });
}

void GetDetails(Reader& r, model::Operation& op) {
  op.execution_details =
      r.Opt<model::ExecutionDetails>([&r] { return model::ExecutionDetails{r.OptS()}; });
  op.context_details = r.Opt<model::ContextDetails>([&r] {
    model::ContextDetails d;
    d.replay_children = r.OptB();
    d.result = r.OptS();
    d.error = GetOptError(r);
    return d;
  });
  op.step_details = r.Opt<model::StepDetails>([&r] {
    model::StepDetails d;
    d.attempt = static_cast<int32_t>(r.I());
    d.next_attempt_timestamp = r.OptI<TimestampMs>();
    d.result = r.OptS();
    d.error = GetOptError(r);
    return d;
  });
  op.wait_details =
      r.Opt<model::WaitDetails>([&r] { return model::WaitDetails{r.OptI<TimestampMs>()}; });
  op.callback_details = r.Opt<model::CallbackDetails>([&r] {
    model::CallbackDetails d;
    d.callback_id = r.OptS();
    d.result = r.OptS();
    d.error = GetOptError(r);
    return d;
  });
  op.chained_invoke_details = r.Opt<model::ChainedInvokeDetails>([&r] {
    model::ChainedInvokeDetails d;
    d.result = r.OptS();
    d.error = GetOptError(r);
    return d;
  });
}

void PutMeta(Writer& w, const model::OperationMeta& m) {
  w.I(m.sequence);
  w.OptI(m.wait_seconds);
  w.OptI(m.callback_timeout_seconds);
  w.OptI(m.callback_heartbeat_timeout_seconds);
  w.OptI(m.callback_deadline);
  w.OptI(m.callback_heartbeat_deadline);
  w.OptS(m.invoke_function_name);
  w.OptS(m.invoke_tenant_id);
  w.OptS(m.invoke_input);
  w.OptS(m.invoke_child_arn);
}

void GetMeta(Reader& r, model::OperationMeta& m) {
  m.sequence = r.I();
  m.wait_seconds = r.OptI<int64_t>();
  m.callback_timeout_seconds = r.OptI<int64_t>();
  m.callback_heartbeat_timeout_seconds = r.OptI<int64_t>();
  m.callback_deadline = r.OptI<TimestampMs>();
  m.callback_heartbeat_deadline = r.OptI<TimestampMs>();
  m.invoke_function_name = r.OptS();
  m.invoke_tenant_id = r.OptS();
  m.invoke_input = r.OptS();
  m.invoke_child_arn = r.OptS();
}

void PutPayload(Writer& w, const std::optional<model::EventPayload>& p) {
  w.Opt(p, [&w](const model::EventPayload& v) {
    w.OptS(v.payload);
    w.B(v.truncated);
  });
}
std::optional<model::EventPayload> GetPayload(Reader& r) {
  return r.Opt<model::EventPayload>([&r] {
    model::EventPayload v;
    v.payload = r.OptS();
    v.truncated = r.B();
    return v;
  });
}

}  // namespace

std::string EncodeOperation(const model::OperationRecord& record) {
  const model::Operation& op = record.operation;
  Writer w;
  w.S(op.id);
  w.OptS(op.parent_id);
  w.OptS(op.name);
  w.U(static_cast<uint64_t>(op.type));
  w.OptS(op.sub_type);
  w.I(op.start_timestamp);
  w.OptI(op.end_timestamp);
  w.U(static_cast<uint64_t>(op.status));
  PutDetails(w, op);
  PutMeta(w, record.meta);
  return w.Take();
}

Result<model::OperationRecord> DecodeOperation(std::string_view bytes) {
  Reader r(bytes);
  model::OperationRecord record;
  model::Operation& op = record.operation;
  op.id = r.S();
  op.parent_id = r.OptS();
  op.name = r.OptS();
  op.type = r.Enum<model::OperationType>(6);
  op.sub_type = r.OptS();
  op.start_timestamp = r.I();
  op.end_timestamp = r.OptI<TimestampMs>();
  op.status = r.Enum<model::OperationStatus>(8);
  GetDetails(r, op);
  GetMeta(r, record.meta);
  Status st = r.Finish("operation");
  if (!st.ok()) return st;
  return record;
}

std::string EncodeEvent(const model::Event& e) {
  Writer w;
  w.U(static_cast<uint64_t>(e.type));
  w.I(e.event_id);
  w.I(e.event_timestamp);
  w.OptS(e.id);
  w.OptS(e.name);
  w.OptS(e.sub_type);
  w.OptS(e.parent_id);
  PutPayload(w, e.input);
  PutPayload(w, e.result);
  w.Opt(e.error, [&w](const model::EventError& v) {
    PutOptError(w, v.payload);
    w.B(v.truncated);
  });
  w.Opt(e.retry_details, [&w](const model::RetryDetails& v) {
    w.OptI(v.current_attempt);
    w.OptI(v.next_attempt_delay_seconds);
  });
  for (const auto* i : {&e.execution_timeout, &e.duration, &e.scheduled_end_timestamp}) w.OptI(*i);
  w.OptS(e.callback_id);
  w.OptI(e.timeout);
  w.OptI(e.heartbeat_timeout);
  for (const auto* s :
       {&e.function_name, &e.tenant_id, &e.executed_version, &e.durable_execution_arn}) {
    w.OptS(*s);
  }
  w.OptI(e.invocation_start_timestamp);
  w.OptI(e.invocation_end_timestamp);
  w.OptS(e.request_id);
  return w.Take();
}

Result<model::Event> DecodeEvent(std::string_view bytes) {
  Reader r(bytes);
  model::Event e;
  e.type = r.Enum<model::EventType>(model::kEventTypeCount);
  e.event_id = r.I();
  e.event_timestamp = r.I();
  e.id = r.OptS();
  e.name = r.OptS();
  e.sub_type = r.OptS();
  e.parent_id = r.OptS();
  e.input = GetPayload(r);
  e.result = GetPayload(r);
  e.error = r.Opt<model::EventError>([&r] {
    model::EventError v;
    v.payload = GetOptError(r);
    v.truncated = r.B();
    return v;
  });
  e.retry_details = r.Opt<model::RetryDetails>([&r] {
    model::RetryDetails v;
    v.current_attempt = r.OptI<int32_t>();
    v.next_attempt_delay_seconds = r.OptI<int64_t>();
    return v;
  });
  for (auto* i : {&e.execution_timeout, &e.duration, &e.scheduled_end_timestamp}) {
    *i = r.OptI<int64_t>();
  }
  e.callback_id = r.OptS();
  e.timeout = r.OptI<int64_t>();
  e.heartbeat_timeout = r.OptI<int64_t>();
  for (auto* s : {&e.function_name, &e.tenant_id, &e.executed_version, &e.durable_execution_arn}) {
    *s = r.OptS();
  }
  e.invocation_start_timestamp = r.OptI<TimestampMs>();
  e.invocation_end_timestamp = r.OptI<TimestampMs>();
  e.request_id = r.OptS();
  Status st = r.Finish("event");
  if (!st.ok()) return st;
  return e;
}

std::string EncodeError(const model::ErrorObject& error) {
  Writer w;
  PutError(w, error);
  return w.Take();
}

Result<model::ErrorObject> DecodeError(std::string_view bytes) {
  Reader r(bytes);
  model::ErrorObject e = GetError(r);
  Status st = r.Finish("error");
  if (!st.ok()) return st;
  return e;
}

}  // namespace durable::store::codec
