#include "durable/store/memory_store.h"

#include <algorithm>
#include <set>

#include "durable/store/list_page.h"

namespace durable::store {
namespace {

std::string NameKeyDebug(const model::DurableExecution& e) {
  return e.function_name + "/" + e.name;
}

bool MatchesFilters(const model::DurableExecution& e, const model::ListRequest& r) {
  if (!r.function_name.empty() && e.function_name != r.function_name) return false;
  if (r.qualifier && e.version != *r.qualifier) return false;
  if (r.durable_execution_name && e.name != *r.durable_execution_name) return false;
  if (!r.statuses.empty() &&
      std::find(r.statuses.begin(), r.statuses.end(), e.status) == r.statuses.end()) {
    return false;
  }
  if (r.started_after && e.start_timestamp < *r.started_after) return false;
  if (r.started_before && e.start_timestamp > *r.started_before) return false;
  return true;
}

}  // namespace

Status MemoryStore::Validate(const Commit& commit, const ExecutionState& state) const {
  if (commit.execution) {
    const model::DurableExecution& e = *commit.execution;
    if (e.arn != commit.arn) return InvalidArgument("commit execution arn differs from commit arn");
    auto it = by_name_.find({e.function_name, e.name});
    if (it != by_name_.end() && it->second != commit.arn) {
      return AlreadyExists("durable execution " + NameKeyDebug(e) + " already exists");
    }
  }
  for (const Timer& t : commit.timers_set) {
    if (t.key.arn != commit.arn) return InvalidArgument("timer of another execution in commit");
  }
  std::set<int64_t> ids;
  for (const model::Event& ev : commit.events) {
    if (state.events.count(ev.event_id) || !ids.insert(ev.event_id).second) {
      return FailedPrecondition("event id " + std::to_string(ev.event_id) + " already exists");
    }
  }
  return Status::Ok();
}

void MemoryStore::ApplyLocked(const Commit& commit, ExecutionState& state) {
  if (commit.execution) {
    const model::DurableExecution& old = state.execution;
    by_name_.erase({old.function_name, old.name});
    state.execution = *commit.execution;
    by_name_[{state.execution.function_name, state.execution.name}] = commit.arn;
  }
  for (const model::OperationRecord& rec : commit.operations) {
    state.operations[rec.operation.id] = rec;
  }
  for (const model::Event& ev : commit.events) state.events[ev.event_id] = ev;
  if (commit.clear_all_timers) EraseTimersLocked(commit.arn);
  for (const TimerKey& k : commit.timers_cleared) {
    timers_.erase({k.arn, static_cast<int>(k.kind), k.operation_id});
  }
  for (const Timer& t : commit.timers_set) {
    timers_[{t.key.arn, static_cast<int>(t.key.kind), t.key.operation_id}] =
        TimerRow{t.due_at, "", std::nullopt};
  }
  if (commit.replay) {
    state.replays[{commit.replay->client_token, commit.replay->checkpoint_token}] = *commit.replay;
  }
}

void MemoryStore::EraseTimersLocked(const std::string& arn) {
  auto it = timers_.lower_bound({arn, 0, ""});
  while (it != timers_.end() && std::get<0>(it->first) == arn) it = timers_.erase(it);
}

Status MemoryStore::Create(const Commit& first) {
  if (!first.execution) return InvalidArgument("Create needs the execution row");
  if (first.arn.empty()) return InvalidArgument("Create needs an arn");
  std::lock_guard<std::mutex> lock(mu_);
  if (executions_.count(first.arn)) {
    return AlreadyExists("durable execution " + first.arn + " already exists");
  }
  ExecutionState fresh;
  fresh.execution = *first.execution;
  if (by_name_.count({fresh.execution.function_name, fresh.execution.name})) {
    return AlreadyExists("durable execution " + NameKeyDebug(fresh.execution) + " already exists");
  }
  Status st = Validate(first, fresh);
  if (!st.ok()) return st;
  ExecutionState& state = executions_[first.arn];
  state = std::move(fresh);
  ApplyLocked(first, state);
  return Status::Ok();
}

Status MemoryStore::Apply(const Commit& commit) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = executions_.find(commit.arn);
  if (it == executions_.end()) return NotFound("durable execution " + commit.arn + " not found");
  Status st = Validate(commit, it->second);
  if (!st.ok()) return st;
  ApplyLocked(commit, it->second);
  return Status::Ok();
}

Result<ExecutionSnapshot> MemoryStore::Load(const std::string& arn) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = executions_.find(arn);
  if (it == executions_.end()) return NotFound("durable execution " + arn + " not found");
  ExecutionSnapshot snap;
  snap.execution = it->second.execution;
  for (const auto& [id, rec] : it->second.operations) snap.operations.push_back(rec);
  std::stable_sort(snap.operations.begin(), snap.operations.end(),
                   [](const model::OperationRecord& a, const model::OperationRecord& b) {
                     return a.meta.sequence < b.meta.sequence;
                   });
  // The same counters as SqliteStore, which derives them (see Store::Load).
  model::DurableExecution& e = snap.execution;
  if (!snap.operations.empty()) {
    e.next_sequence = std::max(e.next_sequence, snap.operations.back().meta.sequence + 1);
  }
  if (!it->second.events.empty()) {
    e.next_event_id = std::max(e.next_event_id, it->second.events.rbegin()->first + 1);
  }
  return snap;
}

Result<std::optional<model::DurableExecution>> MemoryStore::FindByName(
    const std::string& function_name, const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = by_name_.find({function_name, name});
  if (it == by_name_.end()) return std::optional<model::DurableExecution>();
  return std::optional<model::DurableExecution>(executions_.at(it->second).execution);
}

Result<std::vector<model::Event>> MemoryStore::Events(const std::string& arn,
                                                      int64_t after_event_id, int32_t limit) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = executions_.find(arn);
  if (it == executions_.end()) return NotFound("durable execution " + arn + " not found");
  std::vector<model::Event> out;
  const auto& events = it->second.events;
  for (auto e = events.upper_bound(after_event_id); e != events.end(); ++e) {
    if (limit > 0 && static_cast<int32_t>(out.size()) >= limit) break;
    out.push_back(e->second);
  }
  return out;
}

Result<model::ListResponse> MemoryStore::List(const model::ListRequest& request) {
  const bool newest_first = !request.reverse_order;
  std::optional<ListCursor> cursor;
  if (request.marker && !request.marker->empty()) {
    auto decoded = DecodeListMarker(*request.marker);
    if (!decoded.ok()) return decoded.status();
    cursor = std::move(decoded).value();
  }
  const size_t page = static_cast<size_t>(ListPageSize(request.max_items));
  std::vector<const model::DurableExecution*> matches;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [arn, state] : executions_) {
    const model::DurableExecution& e = state.execution;
    if (!MatchesFilters(e, request)) continue;
    if (cursor && !IsAfterCursor(e, *cursor, newest_first)) continue;
    matches.push_back(&e);
  }
  std::sort(matches.begin(), matches.end(), [&](const auto* a, const auto* b) {
    auto ka = std::tie(a->start_timestamp, a->arn);
    auto kb = std::tie(b->start_timestamp, b->arn);
    return newest_first ? kb < ka : ka < kb;
  });
  model::ListResponse response;
  for (size_t i = 0; i < matches.size() && i < page; ++i) {
    response.executions.push_back(*matches[i]);
  }
  if (matches.size() > page) {
    const model::DurableExecution& last = response.executions.back();
    response.next_marker = EncodeListMarker({last.start_timestamp, last.arn});
  }
  return response;
}

Result<std::optional<CheckpointReplay>> MemoryStore::FindReplay(
    const std::string& arn, const std::string& client_token, const std::string& checkpoint_token) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = executions_.find(arn);
  if (it == executions_.end()) return std::optional<CheckpointReplay>();
  auto r = it->second.replays.find({client_token, checkpoint_token});
  if (r == it->second.replays.end()) return std::optional<CheckpointReplay>();
  return std::optional<CheckpointReplay>(r->second);
}

Result<std::vector<std::string>> MemoryStore::RunningExecutions() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> arns;
  for (const auto& [arn, state] : executions_) {
    if (state.execution.status == model::ExecutionStatus::kRunning) arns.push_back(arn);
  }
  return arns;
}

Result<std::vector<ClaimedTimer>> MemoryStore::ClaimDueTimers(TimestampMs now,
                                                              const std::string& owner,
                                                              int64_t lease_ms, int32_t limit) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::pair<TimestampMs, std::map<TimerId, TimerRow>::iterator>> due;
  for (auto it = timers_.begin(); it != timers_.end(); ++it) {
    const TimerRow& row = it->second;
    if (row.due_at > now || (row.lease_until && *row.lease_until > now)) continue;
    due.emplace_back(row.due_at, it);
  }
  std::stable_sort(due.begin(), due.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<ClaimedTimer> claimed;
  for (auto& [due_at, it] : due) {
    if (limit > 0 && static_cast<int32_t>(claimed.size()) >= limit) break;
    it->second.lease_owner = owner;
    it->second.lease_until = now + lease_ms;
    const auto& [arn, kind, op] = it->first;
    claimed.push_back(
        {Timer{TimerKey{arn, static_cast<TimerKind>(kind), op}, due_at}, now + lease_ms});
  }
  return claimed;
}

Result<std::optional<TimestampMs>> MemoryStore::NextDueAt() {
  std::lock_guard<std::mutex> lock(mu_);
  std::optional<TimestampMs> next;
  for (const auto& [id, row] : timers_) {
    TimestampMs at = row.lease_until ? std::max(row.due_at, *row.lease_until) : row.due_at;
    if (!next || at < *next) next = at;
  }
  return next;
}

Status MemoryStore::Purge(const std::string& arn) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = executions_.find(arn);
  if (it == executions_.end()) return NotFound("durable execution " + arn + " not found");
  const model::DurableExecution& e = it->second.execution;
  by_name_.erase({e.function_name, e.name});
  EraseTimersLocked(arn);
  executions_.erase(it);
  return Status::Ok();
}

}  // namespace durable::store
