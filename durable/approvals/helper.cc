// RequestApproval (helper.h): register, notify, then wait in segments cut at the spec's reminder,
// escalation and timeout offsets, each segment a fresh callback that the approvals service is
// pointed at (Attach); a timed-out segment sends its reminder / escalation, the last one expires
// the approval. Every backend call runs in a named step, so a replay calls nothing again.
// Stateless; thread-safe as long as each DurableContext is used by one thread.
#include "durable/approvals/helper.h"

#include <algorithm>
#include <chrono>
#include <map>

namespace durable::approvals {
namespace {

using sdk::DurableContext;
using sdk::StepConfig;
using sdk::StepContext;

// How often one segment may be woken without an outcome (a foreign callback completion) before
// the helper stops re-waiting and treats the segment as over.
constexpr int kMaxRewaits = 5;

// What happens when the wait reaches an offset (seconds from the start of the wait).
struct Offset {
  int64_t at_seconds = 0;
  int reminder = 0;  // reminder sequence number (1, 2, ...); 0 = none
  bool escalate = false;
  bool expire = false;
};

std::vector<Offset> OffsetsOf(const ApprovalSpec& spec) {
  std::map<int64_t, Offset> by_time;
  if (spec.reminder_interval_seconds > 0) {
    int seq = 0;
    for (int64_t t = spec.reminder_interval_seconds; t < spec.timeout_seconds;
         t += spec.reminder_interval_seconds) {
      Offset& o = by_time[t];
      o.at_seconds = t;
      o.reminder = ++seq;
    }
  }
  if (spec.escalation.after_seconds > 0 && spec.escalation.after_seconds < spec.timeout_seconds &&
      !spec.escalation.approvers.empty()) {
    Offset& o = by_time[spec.escalation.after_seconds];
    o.at_seconds = spec.escalation.after_seconds;
    o.escalate = true;
  }
  Offset& last = by_time[spec.timeout_seconds];
  last.at_seconds = spec.timeout_seconds;
  last.expire = true;
  std::vector<Offset> out;
  for (auto& [t, o] : by_time) out.push_back(o);
  return out;
}

// Backend errors become step failures; bad requests are not worth retrying.
[[noreturn]] void ThrowBackendError(const Status& status) {
  throw sdk::UserError("Approvals." + std::string(StatusCodeName(status.code())), status.message());
}

sdk::RetryStrategy BackendRetry() {
  sdk::RetryOptions options;
  options.should_retry = [](const model::ErrorObject& e) {
    const std::string type = e.error_type.value_or("");
    return type != "Approvals.InvalidArgument" && type != "Approvals.NotFound" &&
           type != "Approvals.FailedPrecondition";
  };
  return sdk::ExponentialBackoff(options);
}

StepConfig<Json> StepOptions() { return StepConfig<Json>{.retry_strategy = BackendRetry()}; }

ApprovalResult ParseResult(const Json& j) {
  auto r = ResultFromJson(j);
  if (!r.ok()) {
    throw sdk::UserError("Approvals.InvalidResult",
                         "checkpointed approval result is invalid: " + r.status().message());
  }
  return std::move(r).value();
}

ApprovalResult AttachStep(DurableContext& ctx, ApprovalsBackend& backend, const std::string& name,
                          const std::string& approval_id, const std::string& callback_id) {
  Json j = ctx.Step(
      name,
      [&]() -> Json {
        auto r = backend.Attach(approval_id, callback_id);
        if (!r.ok()) ThrowBackendError(r.status());
        return ToJson(*r);
      },
      StepOptions());
  return ParseResult(j);
}

// A notification step. Deliveries that still fail after the step's retries are recorded by the
// service (notification_failed); they do not end the approval, so the failure is logged only.
void NotifyStep(DurableContext& ctx, ApprovalsBackend& backend, const std::string& name,
                const std::string& approval_id, NotificationKind kind, int sequence) {
  try {
    ctx.Step(
        name,
        [&]() -> Json {
          Status s = backend.Notify(approval_id, kind, sequence);
          if (!s.ok()) ThrowBackendError(s);
          return nullptr;
        },
        StepOptions());
  } catch (const sdk::StepError& e) {
    ctx.logger().Warn("approval notification failed for good", {{"approval_id", approval_id},
                                                                {"kind", ToString(kind)},
                                                                {"sequence", sequence},
                                                                {"error", e.error_message()}});
  }
}

bool IsTimeout(const sdk::CallbackError& e) {
  const std::string type = e.error_type();
  return type == "Callback.Timeout" || type == "Callback.Heartbeat";
}

}  // namespace

ApprovalResult RequestApproval(DurableContext& ctx, const ApprovalSpec& spec,
                               ApprovalsBackend& backend, std::optional<std::string> approval_id) {
  // A spec that does not validate (e.g. timeout 0 would mean a callback without timeout) is a
  // programming error, reported before anything is checkpointed.
  if (auto valid = SpecFromJson(ToJson(spec)); !valid.ok()) {
    sdk::ThrowInvalidArgument("invalid approval spec: " + valid.status().message());
  }
  // 1. Record the approval (idempotent: the key is unique per execution and call site).
  Json reg = ctx.Step(
      "approval:register",
      [&](StepContext& sc) -> Json {
        RegisterRequest request;
        request.approval_id = approval_id;
        request.request_key = ctx.durable_execution_arn() + "#" + sc.operation_id();
        request.spec = spec;
        request.execution_arn = ctx.durable_execution_arn();
        auto r = backend.Register(request);
        if (!r.ok()) ThrowBackendError(r.status());
        return Json{{"approval_id", r->approval_id},
                    {"created_at_ms", r->created_at_ms},
                    {"expires_at_ms", r->expires_at_ms}};
      },
      StepOptions());
  const std::string id = reg.at("approval_id").get<std::string>();
  const int64_t created_at_ms = reg.value("created_at_ms", int64_t{0});

  // 2. Ask the approvers.
  NotifyStep(ctx, backend, "approval:notify", id, NotificationKind::kRequest, 0);

  // 3. Wait, segment by segment.
  const std::vector<Offset> offsets = OffsetsOf(spec);
  int64_t segment_start = 0;
  for (size_t i = 0; i < offsets.size(); ++i) {
    const Offset& offset = offsets[i];
    const std::string index = std::to_string(i);
    bool timed_out = false;
    for (int rewait = 0; !timed_out; ++rewait) {
      const std::string suffix = rewait == 0 ? index : index + "." + std::to_string(rewait);
      int64_t timeout = offset.at_seconds - segment_start;
      if (rewait > 0) {
        // Woken without an outcome: wait out the rest of this segment (at least a second).
        const int64_t deadline_ms = created_at_ms + offset.at_seconds * 1000;
        timeout =
            ctx.Step("approval:rewait-" + suffix,
                     [&]() -> Json {
                       auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                         std::chrono::system_clock::now().time_since_epoch())
                                         .count();
                       return std::clamp<int64_t>((deadline_ms - now_ms + 999) / 1000, 1, timeout);
                     })
                .get<int64_t>();
      }
      auto callback =
          ctx.CreateCallback<Json>("approval:wait-" + suffix, {.timeout_seconds = timeout});
      ApprovalResult attached =
          AttachStep(ctx, backend, "approval:attach-" + suffix, id, callback.callback_id());
      if (attached.status != ApprovalStatus::kPending) return attached;
      try {
        Json payload = callback.Await();
        auto result = ResultFromJson(payload);
        if (result.ok() && result->approval_id == id &&
            result->status != ApprovalStatus::kPending) {
          return std::move(result).value();
        }
        ctx.logger().Warn("approval callback completed without an outcome; waiting again",
                          {{"approval_id", id}, {"payload", payload}});
      } catch (const sdk::CallbackError& e) {
        if (IsTimeout(e)) {
          timed_out = true;
        } else {
          ctx.logger().Warn("approval callback failed; waiting again",
                            {{"approval_id", id}, {"error", e.error_message()}});
        }
      }
      if (rewait + 1 >= kMaxRewaits) timed_out = true;
    }
    segment_start = offset.at_seconds;

    if (offset.expire) {
      Json j = ctx.Step(
          "approval:expire",
          [&]() -> Json {
            auto r = backend.Expire(id);
            if (!r.ok()) ThrowBackendError(r.status());
            return ToJson(*r);
          },
          StepOptions());
      return ParseResult(j);
    }
    if (offset.escalate) {
      try {
        ctx.Step(
            "approval:escalate",
            [&]() -> Json {
              Status s = backend.Escalate(id);
              if (!s.ok()) ThrowBackendError(s);
              s = backend.Notify(id, NotificationKind::kEscalation, 0);
              if (!s.ok()) ThrowBackendError(s);
              return nullptr;
            },
            StepOptions());
      } catch (const sdk::StepError& e) {
        ctx.logger().Warn("approval escalation failed for good",
                          {{"approval_id", id}, {"error", e.error_message()}});
      }
    }
    if (offset.reminder > 0) {
      NotifyStep(ctx, backend, "approval:remind-" + index, id, NotificationKind::kReminder,
                 offset.reminder);
    }
  }
  // Unreachable: the last offset always expires.
  throw sdk::UserError("Approvals.Internal", "approval wait ended without an outcome");
}

}  // namespace durable::approvals
