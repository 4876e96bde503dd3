// Fully populated test values (every optional member set) for store tests: the shared contract
// suite, the codec test and backend-specific tests. Pure functions; thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "durable/store/store.h"

namespace durable::store {

// Builders of fully populated values (every optional set), shared with backend-specific tests.
model::DurableExecution FullExecution(const std::string& id, TimestampMs start,
                                      const std::string& function_name = "fn",
                                      const std::string& version = "$LATEST");
// The Create commit of `e`: the EXECUTION operation and ExecutionStarted event 1.
Commit FirstCommit(const model::DurableExecution& e);
// One record of every operation type, with all details and meta, sequences 2..7.
std::vector<model::OperationRecord> EveryOperationType();
model::Event FullEvent(model::EventType type, int64_t event_id);

// (callback id, operation id) of each operation of `snap` that has a callback id, in its order.
std::vector<std::pair<std::string, std::string>> CallbacksOf(const ExecutionSnapshot& snap);

}  // namespace durable::store
