#include "durable/cli/table.h"

#include <algorithm>
#include <ctime>
#include <iostream>

#include "durable/wire/wire.h"

namespace durable::cli {
namespace {

int ParseFailed(const Status& st) {
  std::cerr << "error: unexpected response: " << st.message() << "\n";
  return 1;
}

std::string Or(const std::optional<std::string>& v, const char* fallback = "-") {
  return v ? *v : fallback;
}

// A one-line summary of an event's details for the history table.
std::string Describe(const model::Event& e) {
  std::string d;
  auto add = [&d](const std::string& k, const std::string& v) {
    d += (d.empty() ? "" : " ") + k + "=" + v;
  };
  if (e.result && e.result->payload) add("result", *e.result->payload);
  if (e.input && e.input->payload) add("input", *e.input->payload);
  if (e.error && e.error->payload) {
    add("error",
        Or(e.error->payload->error_type, "") + ": " + Or(e.error->payload->error_message, ""));
  }
  if (e.duration) add("duration", std::to_string(*e.duration) + "s");
  if (e.callback_id) add("callbackId", *e.callback_id);
  if (e.retry_details && e.retry_details->current_attempt) {
    add("attempt", std::to_string(*e.retry_details->current_attempt));
  }
  if (e.function_name) add("function", *e.function_name);
  if (d.size() > 100) d = d.substr(0, 97) + "...";
  return d;
}

}  // namespace

std::string FormatTime(int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[40];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms % 1000));
  return out;
}

void PrintTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width;
  for (const auto& row : rows) {
    width.resize(std::max(width.size(), row.size()));
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    std::cout << line << "\n";
  }
}

int PrintExecutionListTable(const std::string& body) {
  auto list = wire::ParseListResponse(body);
  if (!list.ok()) return ParseFailed(list.status());
  std::vector<std::vector<std::string>> rows = {{"NAME", "STATUS", "STARTED", "ENDED", "ARN"}};
  for (const auto& e : list->executions) {
    rows.push_back({e.name, std::string(model::ToString(e.status)), FormatTime(e.start_timestamp),
                    e.end_timestamp ? FormatTime(*e.end_timestamp) : "-", e.arn});
  }
  PrintTable(rows);
  if (list->next_marker) std::cout << "next marker: " << *list->next_marker << "\n";
  return 0;
}

int PrintExecutionTable(const std::string& body) {
  auto ex = wire::ParseGetExecutionResponse(body);
  if (!ex.ok()) return ParseFailed(ex.status());
  std::vector<std::vector<std::string>> rows = {
      {"ARN", ex->arn},
      {"NAME", ex->name},
      {"FUNCTION", ex->function_arn},
      {"STATUS", std::string(model::ToString(ex->status))},
      {"STARTED", FormatTime(ex->start_timestamp)},
      {"ENDED", ex->end_timestamp ? FormatTime(*ex->end_timestamp) : "-"},
      {"INPUT", Or(ex->input_payload)},
      {"RESULT", Or(ex->result)},
  };
  if (ex->error) {
    rows.push_back(
        {"ERROR", Or(ex->error->error_type, "") + ": " + Or(ex->error->error_message, "")});
  }
  PrintTable(rows);
  return 0;
}

int PrintHistoryTable(const std::string& body) {
  auto h = wire::ParseHistoryResponse(body);
  if (!h.ok()) return ParseFailed(h.status());
  std::vector<std::vector<std::string>> rows = {
      {"ID", "TIME", "EVENT", "SUBTYPE", "NAME", "OPERATION", "DETAILS"}};
  for (const auto& e : h->events) {
    rows.push_back({std::to_string(e.event_id), FormatTime(e.event_timestamp),
                    std::string(model::ToString(e.type)), Or(e.sub_type), Or(e.name), Or(e.id),
                    Describe(e)});
  }
  PrintTable(rows);
  return 0;
}

}  // namespace durable::cli
