// The approvals HTTP API of docs/approvals.md on an http::Server: `/approvals...` for people
// (Bearer tokens), the one-click link confirm pages (`/approvals/links/{token}`, no token: the
// link is the credential) and `/approvals/internal/...`, the ApprovalsBackend for workflows in
// other processes (role `service`). Errors use the AWS shape. Thread-safe (the service is).
#pragma once

#include "durable/approvals/service.h"
#include "durable/http/http.h"

namespace durable::approvals {

// `service` must outlive the server's routes.
void RegisterApprovalRoutes(http::Server& server, Service& service);

}  // namespace durable::approvals
