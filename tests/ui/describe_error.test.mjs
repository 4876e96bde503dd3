// The UI's error sentences for the AWS-shaped errors of the approvals API (no browser needed).
import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiError, describeError } from "../../durable/approvals/ui/js/api.js";

test("409, 410, 403 and 401 read as what happened", () => {
  assert.match(describeError(new ApiError(409, "ConflictException", "approval is approved"), "Your decision"),
    /already been decided.*approval is approved/);
  assert.match(describeError(new ApiError(410, "GoneException", "expired at 12:00"), "Your decision"),
    /expired and can no longer be decided.*expired at 12:00/);
  assert.match(describeError(new ApiError(403, "AccessDeniedException", "not an approver"), "Your decision"),
    /not allowed.*not an approver/);
  assert.match(describeError(new ApiError(401, "UnauthorizedException", "bad token")), /Sign in again/);
  assert.match(describeError(new ApiError(0, "NetworkError", "")), /could not be reached/);
});

test("other errors name the action, the status and the type", () => {
  const text = describeError(new ApiError(503, "ServiceUnavailableException", "busy"), "Loading the inbox");
  assert.match(text, /^Loading the inbox failed: 503 ServiceUnavailableException \(busy\)\.$/);
  assert.match(describeError(new Error("boom"), "Saving"), /^Saving failed: boom$/);
});
