#include "durable/sdk/batch.h"

#include <nlohmann/json.hpp>

namespace durable::sdk {
namespace {

using nlohmann::json;

json ErrorToJson(const model::ErrorObject& e) {
  json j = json::object();
  if (e.error_type) j["ErrorType"] = *e.error_type;
  if (e.error_message) j["ErrorMessage"] = *e.error_message;
  if (e.error_data) j["ErrorData"] = *e.error_data;
  if (e.stack_trace) j["StackTrace"] = *e.stack_trace;
  return j;
}

model::ErrorObject ErrorFromJson(const json& j) {
  model::ErrorObject e;
  if (j.contains("ErrorType")) e.error_type = j["ErrorType"].get<std::string>();
  if (j.contains("ErrorMessage")) e.error_message = j["ErrorMessage"].get<std::string>();
  if (j.contains("ErrorData")) e.error_data = j["ErrorData"].get<std::string>();
  if (j.contains("StackTrace")) e.stack_trace = j["StackTrace"].get<std::vector<std::string>>();
  return e;
}

std::optional<BatchItemStatus> ParseItemStatus(const std::string& s) {
  if (s == "SUCCEEDED") return BatchItemStatus::kSucceeded;
  if (s == "FAILED") return BatchItemStatus::kFailed;
  if (s == "STARTED") return BatchItemStatus::kStarted;
  return std::nullopt;
}

std::optional<CompletionReason> ParseReason(const std::string& s) {
  if (s == "ALL_COMPLETED") return CompletionReason::kAllCompleted;
  if (s == "MIN_SUCCESSFUL_REACHED") return CompletionReason::kMinSuccessfulReached;
  if (s == "FAILURE_TOLERANCE_EXCEEDED") return CompletionReason::kFailureToleranceExceeded;
  return std::nullopt;
}

json Counts(const RawBatchResult& b) {
  int ok = 0, failed = 0, started = 0;
  for (const auto& i : b.items) {
    ok += i.status == BatchItemStatus::kSucceeded;
    failed += i.status == BatchItemStatus::kFailed;
    started += i.status == BatchItemStatus::kStarted;
  }
  return json{{"totalCount", b.items.size()},
              {"successCount", ok},
              {"failureCount", failed},
              {"startedCount", started},
              {"completionReason", ToString(b.completion_reason)},
              {"status", failed > 0 ? "FAILED" : "SUCCEEDED"}};
}

}  // namespace

std::string ToString(BatchItemStatus s) {
  switch (s) {
    case BatchItemStatus::kSucceeded:
      return "SUCCEEDED";
    case BatchItemStatus::kFailed:
      return "FAILED";
    case BatchItemStatus::kStarted:
      return "STARTED";
  }
  return "STARTED";
}

std::string ToString(CompletionReason r) {
  switch (r) {
    case CompletionReason::kAllCompleted:
      return "ALL_COMPLETED";
    case CompletionReason::kMinSuccessfulReached:
      return "MIN_SUCCESSFUL_REACHED";
    case CompletionReason::kFailureToleranceExceeded:
      return "FAILURE_TOLERANCE_EXCEEDED";
  }
  return "ALL_COMPLETED";
}

std::string SerializeRawBatch(const RawBatchResult& batch) {
  json all = json::array();
  for (const auto& i : batch.items) {
    json item{{"index", i.index}, {"name", i.name}, {"status", ToString(i.status)}};
    if (i.payload) item["result"] = *i.payload;
    if (i.error) item["error"] = ErrorToJson(*i.error);
    all.push_back(std::move(item));
  }
  json j = Counts(batch);
  j["all"] = std::move(all);
  j["totalItems"] = batch.total_items;
  return j.dump();
}

Result<RawBatchResult> ParseRawBatch(const std::string& payload) {
  json j = json::parse(payload, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("all") || !j["all"].is_array()) {
    return InvalidArgument("not a batch result");
  }
  try {
    RawBatchResult b;
    auto reason = ParseReason(j.value("completionReason", "ALL_COMPLETED"));
    if (!reason) return InvalidArgument("unknown completionReason");
    b.completion_reason = *reason;
    for (const auto& item : j["all"]) {
      RawBatchItem i;
      i.index = item.at("index").get<size_t>();
      i.name = item.value("name", "");
      auto status = ParseItemStatus(item.value("status", ""));
      if (!status) return InvalidArgument("unknown item status");
      i.status = *status;
      if (item.contains("result")) i.payload = item["result"].get<std::string>();
      if (item.contains("error")) i.error = ErrorFromJson(item["error"]);
      b.items.push_back(std::move(i));
    }
    b.total_items = j.value("totalItems", b.items.size());
    return b;
  } catch (const json::exception& e) {
    return InvalidArgument(std::string("malformed batch result: ") + e.what());
  }
}

std::string BatchSummary(const RawBatchResult& batch, const std::string& type) {
  json j = Counts(batch);
  j["type"] = type;
  return j.dump();
}

}  // namespace durable::sdk
