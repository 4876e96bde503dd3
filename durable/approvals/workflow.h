// The built-in `approval-workflow` durable function that `durable serve` hosts in-process:
// validates the request, calls RequestApproval, runs the outcome step for approved / rejected /
// expired / cancelled, notifies the requester and returns the ApprovalResult as JSON.
// Input: {"approval_id"?: "...", "spec": ApprovalSpec}.
#pragma once

#include "durable/approvals/backend.h"
#include "durable/sdk/execution.h"

namespace durable::approvals {

inline constexpr char kWorkflowFunctionName[] = "approval-workflow";

// `backend` must outlive the handler.
sdk::Handler MakeApprovalWorkflow(ApprovalsBackend& backend);

}  // namespace durable::approvals
