// RequestApproval: asks people for a decision from inside any C++ durable function and waits,
// with no compute, until they decide, the request is cancelled, or time runs out. Every side
// effect (record, notifications, reminders, escalation, expiry) runs inside a checkpointed step
// through an ApprovalsBackend, so nothing repeats on replay (docs/approvals.md, "Workflow").
#pragma once

#include <optional>
#include <string>

#include "durable/approvals/backend.h"
#include "durable/approvals/spec.h"
#include "durable/sdk/context.h"

namespace durable::approvals {

// Returns approved / rejected / expired / cancelled; throws only what the SDK throws (suspension,
// non-determinism) or a backend error that outlived the step's retries.
ApprovalResult RequestApproval(sdk::DurableContext& ctx, const ApprovalSpec& spec,
                               ApprovalsBackend& backend,
                               std::optional<std::string> approval_id = std::nullopt);

}  // namespace durable::approvals
