// Small helpers shared by the conformance handlers: retry strategies with fixed delays, errors to
// throw from user code, batch-result projections, the invoke target names, and the process-level
// effects the crash requirements need. Stateless apart from the attempt counter files; thread-safe.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>

#include "durable/sdk/context.h"

namespace durable::conformance {

using sdk::DurableContext;
using sdk::Json;
using sdk::StepContext;

// The input as a string (string values unquoted, anything else as JSON text).
std::string AsString(const Json& value);
std::string ToUpper(std::string s);

// Retries up to `max_attempts` attempts in total, `delay_seconds` apart (no backoff, no jitter).
sdk::RetryStrategy FixedRetry(int max_attempts, int64_t delay_seconds);

// Throws the error user code raises in the requirements ("Error" / `message`).
[[noreturn]] void Fail(const std::string& message);

// Flushes stdout/stderr and ends the process with exit code 1 (a Lambda runtime crash).
[[noreturn]] void CrashProcess();

// Counts calls per (execution ARN, key) in a file under $TMPDIR; returns the new count (1 on the
// first call of an execution). State outside the engine for requirements that crash the process.
int BumpAttemptCounter(const std::string& execution_arn, const std::string& key);

// Sends every queued checkpoint now. A crash requirement calls this before killing the process so
// that the STARTs the SDK queued (at-least-once steps, contexts) reach the engine first.
void FlushCheckpoints(DurableContext& context);

// The chained-invoke target named by an environment variable (TARGET_FUNCTION_NAME by default).
std::string TargetFunction(const char* variable = "TARGET_FUNCTION_NAME");

// {field: value} for the requested batch fields: completionReason, status, successCount,
// failureCount, totalCount, startedCount, hasFailure.
template <typename T>
Json Projection(const sdk::BatchResult<T>& batch, std::initializer_list<const char*> fields) {
  Json out = Json::object();
  for (std::string f : fields) {
    if (f == "completionReason") out[f] = sdk::ToString(batch.completion_reason());
    if (f == "status") out[f] = batch.status();
    if (f == "successCount") out[f] = batch.success_count();
    if (f == "failureCount") out[f] = batch.failure_count();
    if (f == "totalCount") out[f] = batch.total_count();
    if (f == "startedCount") out[f] = batch.started_count();
    if (f == "hasFailure") out[f] = batch.has_failure();
  }
  return out;
}

}  // namespace durable::conformance
