#include "durable/store/sqlite/row_codec.h"

#include <optional>

#include "durable/store/codec.h"

namespace durable::store::sqlite {
namespace {

constexpr char kFramed = static_cast<char>(0xC3);

using codec::GetVarint;
using codec::PutVarint;

std::string Frame(int64_t ref, std::string_view body) {
  std::string out(1, kFramed);
  PutVarint(out, static_cast<uint64_t>(ref));
  for (size_t i = 0; i < body.size();) {
    if (body[i] != 0) {
      out.push_back(body[i++]);
      continue;
    }
    size_t run = 0;
    while (i < body.size() && body[i] == 0) ++i, ++run;
    out.push_back(0);
    PutVarint(out, run);
  }
  return out;
}

// Undoes Frame: returns the ref and leaves the body in `body` (its capacity is reused, so a
// caller decoding many rows allocates once). Decoding a body never needs it afterwards.
Result<int64_t> Unframe(std::string_view blob, const char* what, std::string& body) {
  size_t pos = 1;
  uint64_t ref = 0;
  if (!GetVarint(blob, pos, ref) || ref > static_cast<uint64_t>(INT64_MAX)) {
    return Internal(std::string("corrupt stored ") + what);
  }
  body.clear();
  body.reserve(blob.size() + 32);
  while (pos < blob.size()) {
    // Copies up to the next zero byte at once (bodies are mostly non-zero bytes).
    size_t zero = blob.find('\0', pos);
    if (zero == std::string_view::npos) zero = blob.size();
    body.append(blob.data() + pos, zero - pos);
    pos = zero;
    if (pos == blob.size()) break;
    ++pos;
    uint64_t run = 0;
    if (!GetVarint(blob, pos, run) || run == 0 || run > (1u << 20)) {
      return Internal(std::string("corrupt stored ") + what);
    }
    body.append(run, '\0');
  }
  return static_cast<int64_t>(ref);
}

// The per-thread buffer Unframe writes into. Each body is decoded before any event it refers to
// is read, so nested decoding may reuse it.
std::string& BodyBuffer() {
  thread_local std::string buffer;
  return buffer;
}

// After a large body (a big result) the buffer is given back rather than kept per thread.
void ReleaseIfLarge(std::string& body) {
  if (body.capacity() > (size_t{1} << 16)) std::string().swap(body);
}

// Exact inverses of each other for any values (unsigned arithmetic wraps).
int64_t Minus(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b));
}
int64_t Plus(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
}

bool IsFramed(std::string_view blob) { return !blob.empty() && blob[0] == kFramed; }

// The result of the first present details of `op` (the one an operation of its type carries).
std::optional<std::string>* FirstResult(model::Operation& op) {
  if (op.step_details) return &op.step_details->result;
  if (op.context_details) return &op.context_details->result;
  if (op.callback_details) return &op.callback_details->result;
  if (op.chained_invoke_details) return &op.chained_invoke_details->result;
  return nullptr;
}

bool SameOperationFields(const model::Event& a, const model::Event& b) {
  return a.id == b.id && a.name == b.name && a.sub_type == b.sub_type && a.parent_id == b.parent_id;
}

}  // namespace

const model::Event* EventBase(const std::vector<model::Event>& events, size_t index) {
  const model::Event& ev = events[index];
  if (!ev.id) return nullptr;
  // The earliest match never has a base itself (its own base would be an earlier match).
  for (size_t i = 0; i < index; ++i) {
    if (SameOperationFields(events[i], ev)) return &events[i];
  }
  return nullptr;
}

const model::Event* ResultEvent(const model::OperationRecord& rec,
                                const std::vector<model::Event>& events) {
  model::Operation op = rec.operation;  // FirstResult needs a mutable object
  std::optional<std::string>* result = FirstResult(op);
  if (result == nullptr || !*result) return nullptr;
  for (const model::Event& ev : events) {
    if (ev.id == op.id && ev.result && !ev.result->truncated && ev.result->payload == **result) {
      return &ev;
    }
  }
  return nullptr;
}

std::string PackEvent(const model::Event& event, const model::Event* base) {
  model::Event copy = event;
  copy.event_id = 0;  // the key holds it
  if (base == nullptr) return Frame(0, codec::EncodeEvent(copy));
  copy.event_timestamp = Minus(event.event_timestamp, base->event_timestamp);
  copy.id.reset();
  copy.name.reset();
  copy.sub_type.reset();
  copy.parent_id.reset();
  return Frame(base->event_id, codec::EncodeEvent(copy));
}

Result<model::Event> UnpackEvent(std::string_view blob, int64_t event_id, const EventLoader& load) {
  if (!IsFramed(blob)) return codec::DecodeEvent(blob);
  std::string& body = BodyBuffer();
  Result<int64_t> u = Unframe(blob, "event", body);
  if (!u.ok()) return u.status();
  const int64_t ref = *u;
  Result<model::Event> ev = codec::DecodeEvent(body);
  ReleaseIfLarge(body);
  if (!ev.ok()) return ev;
  ev->event_id = event_id;
  if (ref == 0) return ev;
  if (ref >= ev->event_id) return Internal("corrupt stored event reference");
  Result<model::Event> base = load(ref);
  if (!base.ok()) return Internal("stored event refers to a missing event");
  ev->event_timestamp = Plus(ev->event_timestamp, base->event_timestamp);
  ev->id = std::move(base->id);  // `base` is this call's own copy
  ev->name = std::move(base->name);
  ev->sub_type = std::move(base->sub_type);
  ev->parent_id = std::move(base->parent_id);
  return ev;
}

std::string PackOperation(const model::OperationRecord& rec, const model::Event* result_event) {
  model::OperationRecord copy = rec;
  model::Operation& op = copy.operation;
  op.id.clear();
  if (op.end_timestamp) op.end_timestamp = Minus(*op.end_timestamp, op.start_timestamp);
  int64_t ref = 0;
  if (result_event != nullptr) {
    FirstResult(op)->reset();
    op.start_timestamp = Minus(op.start_timestamp, result_event->event_timestamp);
    ref = result_event->event_id * 2;
    if (op.name == result_event->name && op.sub_type == result_event->sub_type &&
        op.parent_id == result_event->parent_id) {
      op.name.reset();
      op.sub_type.reset();
      op.parent_id.reset();
      ref += 1;
    }
  }
  return Frame(ref, codec::EncodeOperation(copy));
}

namespace {

uint64_t FramedRef(std::string_view blob) {
  if (!IsFramed(blob)) return 0;
  size_t pos = 1;
  uint64_t ref = 0;
  if (!GetVarint(blob, pos, ref) || ref > static_cast<uint64_t>(INT64_MAX)) return 0;
  return ref;
}

}  // namespace

int64_t EventRefOfEvent(std::string_view blob) { return static_cast<int64_t>(FramedRef(blob)); }

int64_t EventRefOfOperation(std::string_view blob) {
  return static_cast<int64_t>(FramedRef(blob) / 2);
}

Result<model::OperationRecord> UnpackOperation(std::string_view id, std::string_view blob,
                                               const EventLoader& load) {
  if (!IsFramed(blob)) return codec::DecodeOperation(blob);
  std::string& body = BodyBuffer();
  Result<int64_t> u = Unframe(blob, "operation", body);
  if (!u.ok()) return u.status();
  const int64_t ref = *u;
  Result<model::OperationRecord> rec = codec::DecodeOperation(body);
  ReleaseIfLarge(body);
  if (!rec.ok()) return rec;
  model::Operation& op = rec->operation;
  op.id = std::string(id);
  auto end_from_start = [&op] {
    if (op.end_timestamp) op.end_timestamp = Plus(*op.end_timestamp, op.start_timestamp);
  };
  if (ref == 0) {
    end_from_start();
    return rec;
  }
  const int64_t event_id = ref / 2;
  const bool names = (ref % 2) == 1;
  std::optional<std::string>* result = FirstResult(op);
  if (event_id == 0 || result == nullptr || *result ||
      (names && (op.name || op.sub_type || op.parent_id))) {
    return Internal("corrupt stored operation reference");
  }
  Result<model::Event> ev = load(event_id);
  if (!ev.ok() || !ev->result || !ev->result->payload) {
    return Internal("stored operation refers to a missing event result");
  }
  *result = std::move(ev->result->payload);
  op.start_timestamp = Plus(op.start_timestamp, ev->event_timestamp);
  end_from_start();
  if (names) {
    op.name = std::move(ev->name);
    op.sub_type = std::move(ev->sub_type);
    op.parent_id = std::move(ev->parent_id);
  }
  return rec;
}

}  // namespace durable::store::sqlite
