#include "durable/engine/state.h"

#include <algorithm>

namespace durable::engine {
namespace {

void PushUnique(std::vector<std::string>& v, const std::string& id) {
  if (std::find(v.begin(), v.end(), id) == v.end()) v.push_back(id);
}

}  // namespace

ExecutionState ExecutionState::FromSnapshot(store::ExecutionSnapshot snapshot) {
  ExecutionState s;
  s.execution = std::move(snapshot.execution);
  s.operations = std::move(snapshot.operations);
  auto by_sequence = [](const auto& a, const auto& b) { return a.meta.sequence < b.meta.sequence; };
  // The store hands them over in sequence order already; sorting anyway would move every record
  // several times (stable_sort merges through a buffer even when nothing is out of order).
  if (!std::is_sorted(s.operations.begin(), s.operations.end(), by_sequence)) {
    std::stable_sort(s.operations.begin(), s.operations.end(), by_sequence);
  }
  s.index.reserve(s.operations.size());
  for (size_t i = 0; i < s.operations.size(); ++i) s.index[s.operations[i].operation.id] = i;
  return s;
}

const model::OperationRecord* ExecutionState::Find(const std::string& id) const {
  auto it = index.find(id);
  return it == index.end() ? nullptr : &operations[it->second];
}

model::OperationRecord* ExecutionState::Find(const std::string& id) {
  auto it = index.find(id);
  if (it == index.end()) return nullptr;
  return &At(it->second);
}

model::OperationRecord& ExecutionState::At(size_t i) {
  due_scan_from = std::min(due_scan_from, i);
  Save(i);
  return operations[i];
}

void ExecutionState::Save(size_t i) {
  if (!changing_ || i >= undo_.op_count) return;  // not journaling, or added in this change
  for (const auto& [j, rec] : undo_.saved) {
    if (j == i) return;
  }
  undo_.saved.emplace_back(i, operations[i]);
}

model::OperationRecord& ExecutionState::Add(model::OperationRecord record) {
  model::OperationRecord& added = AddNew(record.operation.id);
  int64_t sequence = added.meta.sequence;
  added = std::move(record);
  added.meta.sequence = sequence;
  return added;
}

model::OperationRecord& ExecutionState::AddNew(const std::string& id) {
  if (changing_) {
    auto it = index.find(id);
    undo_.index_prev.emplace_back(
        operations.size(), it == index.end() ? std::nullopt : std::optional<size_t>(it->second));
  }
  index[id] = operations.size();
  // Growing from one record by doubling would move every record (~1.4 KB each) at 1, 2, 4 and 8
  // operations: a short execution's steps start from room for a few.
  if (operations.size() == operations.capacity()) {
    operations.reserve(std::max<size_t>(8, 2 * operations.capacity()));
  }
  model::OperationRecord& added = operations.emplace_back();
  added.operation.id = id;
  added.meta.sequence = execution.next_sequence++;
  return added;
}

void ExecutionState::BeginChange() {
  changing_ = true;
  undo_.execution = execution;  // assigns into the kept strings' capacity
  undo_.op_count = operations.size();
  undo_.due_scan_from = due_scan_from;
  undo_.saved.clear();
  undo_.index_prev.clear();
}

void ExecutionState::EndChange() {
  changing_ = false;
  undo_.saved.clear();  // the saved records' memory goes; the vectors keep their capacity
  undo_.index_prev.clear();
}

void ExecutionState::Rollback() {
  if (!changing_) return;
  // Before the added records go: their ids key the index entries to restore.
  for (auto it = undo_.index_prev.rbegin(); it != undo_.index_prev.rend(); ++it) {
    const std::string& id = operations[it->first].operation.id;
    if (it->second) {
      index[id] = *it->second;
    } else {
      index.erase(id);
    }
  }
  operations.resize(undo_.op_count);
  for (auto& [i, rec] : undo_.saved) operations[i] = std::move(rec);
  execution = undo_.execution;
  due_scan_from = undo_.due_scan_from;
  EndChange();
}

bool ExecutionState::ExecutionRowChanged() const {
  return !changing_ || !model::EqualExceptCounters(undo_.execution, execution);
}

bool ExecutionState::Closing() const {
  return Running() && !operations.empty() && model::IsTerminal(ExecutionOp().operation.status);
}

void Transition::Touch(const std::string& id) { PushUnique(changed_ids, id); }

void Transition::TouchForResponse(const std::string& id) {
  Touch(id);
  PushUnique(response_ids, id);
}

void Transition::MarkAsync(const std::string& id) {
  Touch(id);
  PushUnique(async_changed_ids, id);
}

void Transition::SetTimer(store::Timer timer) {
  std::erase(timers_cleared, timer.key);
  std::erase_if(timers_set, [&](const store::Timer& x) { return x.key == timer.key; });
  timers_set.push_back(std::move(timer));
}

void Transition::ClearTimer(store::TimerKey key) {
  std::erase_if(timers_set, [&](const store::Timer& x) { return x.key == key; });
  if (std::find(timers_cleared.begin(), timers_cleared.end(), key) == timers_cleared.end()) {
    timers_cleared.push_back(std::move(key));
  }
}

bool Transition::Empty() const {
  return changed_ids.empty() && events.empty() && timers_set.empty() && timers_cleared.empty() &&
         !clear_all_timers && !request_invocation && !closed && chained_starts.empty() &&
         children_to_stop.empty();
}

store::Commit BuildCommit(const ExecutionState& state, Transition& t) {
  store::Commit c;
  c.arn = state.execution.arn;
  // Counters alone are not written: the store derives them at load (store::Store::Load).
  if (state.ExecutionRowChanged()) c.execution = state.execution;
  c.operations.reserve(t.changed_ids.size());
  for (const auto& id : t.changed_ids) {
    if (const auto* rec = state.Find(id)) c.operations.push_back(*rec);
  }
  c.events = std::move(t.events);
  c.timers_set = t.timers_set;
  c.timers_cleared = std::move(t.timers_cleared);
  c.clear_all_timers = t.clear_all_timers;
  return c;
}

}  // namespace durable::engine
