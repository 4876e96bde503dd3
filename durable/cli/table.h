// Human-readable tables for `--output table`. Each printer parses an API response body with the
// wire codecs and prints aligned columns; returns the exit code. Not thread-safe (stdout).
#pragma once

#include <string>
#include <vector>

namespace durable::cli {

// Prints rows with columns padded to the widest cell; the first row is the header.
void PrintTable(const std::vector<std::vector<std::string>>& rows);

int PrintExecutionListTable(const std::string& body);
int PrintExecutionTable(const std::string& body);
int PrintHistoryTable(const std::string& body);

// "2026-11-26T14:32:26.123Z"
std::string FormatTime(int64_t epoch_ms);

}  // namespace durable::cli
