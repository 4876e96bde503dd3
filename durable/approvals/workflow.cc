// The built-in `approval-workflow` durable function (workflow.h). A bad input fails the execution
// (step `validate`, not retried); rejection, expiry and cancellation are results. Stateless; the
// handler is thread-safe as long as the backend is.
#include "durable/approvals/workflow.h"

#include "durable/approvals/helper.h"

namespace durable::approvals {
namespace {

using sdk::DurableContext;

[[noreturn]] void ThrowStatus(const Status& status) {
  throw sdk::UserError("Approvals." + std::string(StatusCodeName(status.code())), status.message());
}

}  // namespace

sdk::Handler MakeApprovalWorkflow(ApprovalsBackend& backend) {
  return [&backend](DurableContext& ctx, const Json& event) -> Json {
    // The validated, normalized request is checkpointed, so later steps never re-parse input.
    Json request = ctx.Step(
        "validate",
        [&]() -> Json {
          if (!event.is_object()) {
            throw sdk::UserError("ValidationException", "input must be a JSON object");
          }
          Json out = Json::object();
          auto id = event.find("approval_id");
          if (id != event.end() && !id->is_null()) {
            if (!id->is_string() || id->get<std::string>().empty()) {
              throw sdk::UserError("ValidationException", "approval_id must be a non-empty string");
            }
            out["approval_id"] = *id;
          }
          auto spec_json = event.find("spec");
          if (spec_json == event.end() || spec_json->is_null()) {
            throw sdk::UserError("ValidationException", "spec is required");
          }
          auto spec = SpecFromJson(*spec_json);
          if (!spec.ok()) {
            throw sdk::UserError("ValidationException", "spec." + spec.status().message());
          }
          out["spec"] = ToJson(*spec);
          return out;
        },
        {.retry_strategy = sdk::NoRetry()});

    auto spec = SpecFromJson(request.at("spec"));
    if (!spec.ok()) ThrowStatus(spec.status());  // only if a checkpoint was tampered with
    std::optional<std::string> approval_id;
    if (request.contains("approval_id")) approval_id = request["approval_id"].get<std::string>();

    ApprovalResult result = RequestApproval(ctx, *spec, backend, approval_id);
    const std::string id = result.approval_id;

    // The outcome step: tell the requester. A delivery that keeps failing is recorded by the
    // service and logged here; it does not undo the outcome.
    try {
      ctx.Step("outcome:" + ToString(result.status), [&]() -> Json {
        Status s = backend.Notify(id, NotificationKind::kOutcome, 0);
        if (!s.ok()) ThrowStatus(s);
        return ToJson(result);
      });
    } catch (const sdk::StepError& e) {
      ctx.logger().Warn("outcome notification failed for good",
                        {{"approval_id", id}, {"error", e.error_message()}});
    }
    ctx.Step("approval:complete", [&]() -> Json {
      Status s = backend.Complete(id);
      if (!s.ok()) ThrowStatus(s);
      return nullptr;
    });
    return ToJson(result);
  };
}

}  // namespace durable::approvals
