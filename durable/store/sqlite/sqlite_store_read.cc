// SqliteStore: the read path (Load, FindByName, Events, List, lookups, NextDueAt).
#include <algorithm>
#include <functional>
#include <string>
#include <unordered_map>

#include "durable/base/macros.h"
#include "durable/store/codec.h"
#include "durable/store/list_page.h"
#include "durable/store/sqlite/db.h"
#include "durable/store/sqlite/row_codec.h"
#include "durable/store/sqlite/rows.h"
#include "durable/store/sqlite/sqlite_store.h"

namespace durable::store {
namespace {

using sqlite::EventLoader;
using sqlite::Query;

std::string SelectExecutionSql(const std::string& where) {
  return std::string("SELECT ") + sqlite::kExecutionColumns + " FROM executions WHERE " + where;
}

// The WHERE/ORDER BY of List for the filters present in `r`; BindListFilters binds in the same
// order. Each distinct filter combination is one cached statement.
std::string ListSql(const model::ListRequest& r, bool has_cursor) {
  std::string where = "1";
  if (!r.function_name.empty()) where += " AND function_name = ?";
  if (r.qualifier) where += " AND version = ?";
  if (r.durable_execution_name) where += " AND name = ?";
  if (!r.statuses.empty()) {
    where += " AND status IN (?";
    for (size_t i = 1; i < r.statuses.size(); ++i) where += ", ?";
    where += ")";
  }
  if (r.started_after) where += " AND start_ts >= ?";
  if (r.started_before) where += " AND start_ts <= ?";
  const bool newest_first = !r.reverse_order;
  if (has_cursor)
    where += newest_first ? " AND (start_ts, arn) < (?, ?)" : " AND (start_ts, arn) > (?, ?)";
  where += newest_first ? " ORDER BY start_ts DESC, arn DESC" : " ORDER BY start_ts, arn";
  return SelectExecutionSql(where + " LIMIT ?");
}

void BindListFilters(Query& q, const model::ListRequest& r) {
  if (!r.function_name.empty()) q.Bind(r.function_name);
  if (r.qualifier) q.Bind(*r.qualifier);
  if (r.durable_execution_name) q.Bind(*r.durable_execution_name);
  for (model::ExecutionStatus s : r.statuses) q.Bind(model::ToString(s));
  if (r.started_after) q.Bind(*r.started_after);
  if (r.started_before) q.Bind(*r.started_before);
}

// A byte range of a buffer that is still growing (a view would dangle on reallocation).
struct Span {
  size_t offset = 0;
  size_t size = 0;
};

Span Append(std::string& buffer, std::string_view bytes) {
  Span span{buffer.size(), bytes.size()};
  buffer.append(bytes);
  return span;
}

std::string_view View(const std::string& buffer, Span span) {
  return std::string_view(buffer).substr(span.offset, span.size);
}

}  // namespace

Result<model::Event> SqliteStore::LoadEvent(sqlite::Db& db, int64_t exec, int64_t event_id) {
  std::string blob;
  {
    DURABLE_ASSIGN_OR_RETURN(Query q, db.Prepare("SELECT body FROM events WHERE k = ?"));
    DURABLE_ASSIGN_OR_RETURN(bool found, q.Bind(sqlite::EventKey(exec, event_id)).Step());
    if (!found) return Internal("stored event " + std::to_string(event_id) + " is missing");
    blob = std::string(q.Blob(0));
  }  // the statement is reset before a reference is followed (which prepares it again)
  return sqlite::UnpackEvent(blob, event_id,
                             [&db, exec](int64_t ref) { return LoadEvent(db, exec, ref); });
}

Result<ExecutionSnapshot> SqliteStore::Load(const std::string& arn) {
  ExecutionSnapshot snap;
  Reader reader = LockReader();
  sqlite::Db& db = *reader.db;
  Status st = InReadTxn(db, [&]() -> Status {
    int64_t exec = 0;
    {
      DURABLE_ASSIGN_OR_RETURN(Query q, db.Prepare(sqlite::SelectExecutionByArnSql()));
      DURABLE_ASSIGN_OR_RETURN(bool found, q.Bind(arn).Step());
      if (!found) return NotFound("durable execution " + arn + " not found");
      exec = q.Int(0);
      DURABLE_ASSIGN_OR_RETURN(snap.execution, sqlite::ReadExecution(q, 1));
    }
    // Rows are read first and decoded afterwards: decoding may read events (a result stored once,
    // in the event that reported it). Their bytes go into one buffer each for records and events
    // (not two allocations per row); views into them are taken once they are complete.
    std::string record_bytes;
    std::vector<std::pair<Span, Span>> rows;  // (id, record) in record_bytes
    {
      DURABLE_ASSIGN_OR_RETURN(Query ops,
                               db.Prepare("SELECT id, record FROM operations WHERE exec = ?"));
      ops.Bind(exec);
      while (true) {
        DURABLE_ASSIGN_OR_RETURN(bool row, ops.Step());
        if (!row) break;
        // The id's bytes read as a blob: the same bytes, without a std::string.
        rows.emplace_back(Append(record_bytes, ops.Blob(0)), Append(record_bytes, ops.Blob(1)));
      }
    }
    // Nearly every record refers to an event (its result), and that event usually to another
    // (its id and names). Looking each up by key cost a B-tree descent, a statement reset and a
    // copy per event (~2 per record); instead the events referred to are collected in one
    // descending scan of the execution's range: an event only ever refers to an earlier one, so
    // what a fetched event needs is still ahead of the scan. The records' references are sorted
    // once (descending); the few an event adds go to a small max-heap.
    std::vector<int64_t> wanted;  // descending
    wanted.reserve(rows.size());
    for (const auto& [id, record] : rows) {
      if (int64_t ref = sqlite::EventRefOfOperation(View(record_bytes, record)); ref > 0) {
        wanted.push_back(ref);
      }
    }
    std::sort(wanted.begin(), wanted.end(), std::greater<>());
    size_t next_wanted = 0;
    std::vector<int64_t> bases;  // max-heap of ids the fetched events refer to
    auto highest_wanted = [&]() -> int64_t {
      int64_t top = next_wanted < wanted.size() ? wanted[next_wanted] : 0;
      return bases.empty() ? top : std::max(top, bases.front());
    };
    // Drops every wanted id >= `event_id` (those above it are missing); true if it was wanted.
    auto take = [&](int64_t event_id) {
      bool found = false;
      for (; next_wanted < wanted.size() && wanted[next_wanted] >= event_id; ++next_wanted) {
        found = found || wanted[next_wanted] == event_id;
      }
      while (!bases.empty() && bases.front() >= event_id) {
        found = found || bases.front() == event_id;
        std::pop_heap(bases.begin(), bases.end());
        bases.pop_back();
      }
      return found;
    };
    std::string event_bytes;
    std::vector<std::pair<int64_t, Span>> fetched;  // by event id, descending; in event_bytes
    fetched.reserve(wanted.size() * 2);
    if (!wanted.empty()) {
      DURABLE_ASSIGN_OR_RETURN(Query q, db.Prepare("SELECT k, body FROM events WHERE k > ? AND "
                                                   "k <= ? ORDER BY k DESC"));
      const int64_t first = std::min<int64_t>(wanted.front(), sqlite::kEventIdLimit - 1);
      q.Bind(sqlite::EventKey(exec, 0)).Bind(sqlite::EventKey(exec, first));
      for (int64_t highest = highest_wanted(); highest > 0; highest = highest_wanted()) {
        DURABLE_ASSIGN_OR_RETURN(bool row, q.Step());
        if (!row) break;
        const int64_t event_id = q.Int(0) - sqlite::EventKey(exec, 0);
        if (highest < event_id || !take(event_id)) continue;
        std::string_view body = q.Blob(1);
        if (int64_t ref = sqlite::EventRefOfEvent(body); ref > 0 && ref < event_id) {
          bases.push_back(ref);
          std::push_heap(bases.begin(), bases.end());
        }
        fetched.emplace_back(event_id, Append(event_bytes, body));
      }
    }
    // A reference the scan did not find (a missing or corrupt event) is looked up on its own, so
    // it is reported exactly as before.
    EventLoader load = [&](int64_t ref) -> Result<model::Event> {
      auto it = std::lower_bound(fetched.begin(), fetched.end(), ref,
                                 [](const auto& e, int64_t id) { return e.first > id; });
      if (it == fetched.end() || it->first != ref) return LoadEvent(db, exec, ref);
      return sqlite::UnpackEvent(View(event_bytes, it->second), ref, load);
    };
    std::vector<model::OperationRecord> records;
    std::vector<std::pair<int64_t, uint32_t>> order;  // (sequence, position in records)
    records.reserve(rows.size());  // a reallocation would move every (large) record again
    order.reserve(rows.size());
    for (const auto& [id, record] : rows) {
      Result<model::OperationRecord> rec =
          sqlite::UnpackOperation(View(record_bytes, id), View(record_bytes, record), load);
      if (!rec.ok()) return rec.status();
      order.emplace_back(rec->meta.sequence, static_cast<uint32_t>(records.size()));
      records.push_back(std::move(rec).value());
    }
    // The rows come in key (operation id) order. Records are large (~1.4 KB): sorting the keys
    // and then moving each record to its place (cycle by cycle, in place) moves each about once,
    // where sorting the records moves each several times.
    std::sort(order.begin(), order.end(), [&records](const auto& a, const auto& b) {
      if (a.first != b.first) return a.first < b.first;
      return records[a.second].operation.id < records[b.second].operation.id;
    });
    std::vector<uint32_t> from(order.size());  // records[from[i]] belongs at i
    for (size_t i = 0; i < order.size(); ++i) from[i] = order[i].second;
    for (uint32_t start = 0; start < from.size(); ++start) {
      if (from[start] == start) continue;
      model::OperationRecord held = std::move(records[start]);
      uint32_t at = start;
      while (from[at] != start) {
        const uint32_t next = from[at];
        records[at] = std::move(records[next]);
        from[at] = at;
        at = next;
      }
      records[at] = std::move(held);
      from[at] = at;
    }
    snap.operations = std::move(records);
    return DeriveCounters(db, exec, snap);
  });
  if (!st.ok()) return st;
  return snap;
}

Status SqliteStore::DeriveCounters(sqlite::Db& db, int64_t exec, ExecutionSnapshot& snap) {
  // A commit that changes nothing of the execution row but its counters does not write the row
  // (see UpdateExecution): the next event id follows the newest event, the next sequence the
  // newest operation. The row's values are a lower bound (what the last full write saw).
  model::DurableExecution& e = snap.execution;
  if (!snap.operations.empty()) {
    e.next_sequence = std::max(e.next_sequence, snap.operations.back().meta.sequence + 1);
  }
  DURABLE_ASSIGN_OR_RETURN(Query q, db.Prepare("SELECT max(k) FROM events WHERE k >= ? AND k < ?"));
  q.Bind(sqlite::EventKey(exec, 0)).Bind(sqlite::EventKey(exec + 1, 0));
  DURABLE_ASSIGN_OR_RETURN(bool row, q.Step());
  if (row && !q.IsNull(0)) {
    e.next_event_id = std::max(e.next_event_id, q.Int(0) - sqlite::EventKey(exec, 0) + 1);
  }
  return Status::Ok();
}

Result<std::optional<model::DurableExecution>> SqliteStore::FindByName(
    const std::string& function_name, const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  DURABLE_ASSIGN_OR_RETURN(Query q,
                           db_->Prepare(SelectExecutionSql("function_name = ? AND name = ?")));
  DURABLE_ASSIGN_OR_RETURN(bool found, q.Bind(function_name).Bind(name).Step());
  if (!found) return std::optional<model::DurableExecution>();
  DURABLE_ASSIGN_OR_RETURN(model::DurableExecution e, sqlite::ReadExecution(q));
  return std::optional<model::DurableExecution>(std::move(e));
}

Result<std::vector<model::Event>> SqliteStore::Events(const std::string& arn,
                                                      int64_t after_event_id, int32_t limit) {
  std::vector<model::Event> events;
  Reader reader = LockReader();
  sqlite::Db& db = *reader.db;
  Status st = InReadTxn(db, [&]() -> Status {
    DURABLE_ASSIGN_OR_RETURN(std::optional<int64_t> exec, ExecKey(db, arn));
    if (!exec) return NotFound("durable execution " + arn + " not found");
    std::vector<std::pair<int64_t, std::string>> rows;
    {
      DURABLE_ASSIGN_OR_RETURN(
          Query q,
          db.Prepare("SELECT k, body FROM events WHERE k > ? AND k < ? ORDER BY k LIMIT ?"));
      const int64_t after = std::clamp<int64_t>(after_event_id, -1, sqlite::kEventIdLimit - 1);
      q.Bind(sqlite::EventKey(*exec, after)).Bind(sqlite::EventKey(*exec + 1, 0));
      q.Bind(limit > 0 ? int64_t{limit} : int64_t{-1});
      while (true) {
        DURABLE_ASSIGN_OR_RETURN(bool row, q.Step());
        if (!row) break;
        rows.emplace_back(q.Int(0) - sqlite::EventKey(*exec, 0), std::string(q.Blob(1)));
      }
    }
    // A reference points to an earlier event: usually one just decoded.
    std::unordered_map<int64_t, size_t> index;
    auto load = [&](int64_t ref) -> Result<model::Event> {
      auto it = index.find(ref);
      if (it != index.end()) return events[it->second];
      return LoadEvent(db, *exec, ref);
    };
    events.reserve(rows.size());
    for (const auto& [event_id, blob] : rows) {
      DURABLE_ASSIGN_OR_RETURN(model::Event ev, sqlite::UnpackEvent(blob, event_id, load));
      index[ev.event_id] = events.size();
      events.push_back(std::move(ev));
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return events;
}

Result<model::ListResponse> SqliteStore::List(const model::ListRequest& request) {
  std::optional<ListCursor> cursor;
  if (request.marker && !request.marker->empty()) {
    DURABLE_ASSIGN_OR_RETURN(cursor, DecodeListMarker(*request.marker));
  }
  const int32_t page = ListPageSize(request.max_items);
  model::ListResponse response;
  std::lock_guard<std::mutex> lock(mu_);
  DURABLE_ASSIGN_OR_RETURN(Query q, db_->Prepare(ListSql(request, cursor.has_value())));
  BindListFilters(q, request);
  if (cursor) q.Bind(cursor->start_timestamp).Bind(cursor->arn);
  q.Bind(int64_t{page} + 1);
  bool more = false;
  while (true) {
    DURABLE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    if (static_cast<int32_t>(response.executions.size()) == page) {
      more = true;
      break;
    }
    DURABLE_ASSIGN_OR_RETURN(model::DurableExecution e, sqlite::ReadExecution(q));
    response.executions.push_back(std::move(e));
  }
  if (more) {
    const model::DurableExecution& last = response.executions.back();
    response.next_marker = EncodeListMarker({last.start_timestamp, last.arn});
  }
  return response;
}

Result<std::optional<CheckpointReplay>> SqliteStore::FindReplay(
    const std::string& arn, const std::string& client_token, const std::string& checkpoint_token) {
  std::lock_guard<std::mutex> lock(mu_);
  DURABLE_ASSIGN_OR_RETURN(
      Query q, db_->Prepare("SELECT a.request_hash, a.response_body FROM checkpoint_answers a "
                            "JOIN executions x ON x.id = a.exec WHERE x.arn = ? AND "
                            "a.client_token = ? AND a.checkpoint_token = ?"));
  DURABLE_ASSIGN_OR_RETURN(bool found,
                           q.Bind(arn).Bind(client_token).Bind(checkpoint_token).Step());
  if (!found) return std::optional<CheckpointReplay>();
  return std::optional<CheckpointReplay>(
      CheckpointReplay{client_token, checkpoint_token, q.Text(0), std::string(q.Blob(1))});
}

Result<std::vector<std::string>> SqliteStore::RunningExecutions() {
  std::vector<std::string> arns;
  std::lock_guard<std::mutex> lock(mu_);
  DURABLE_ASSIGN_OR_RETURN(
      Query q, db_->Prepare("SELECT arn FROM executions WHERE status = 'RUNNING' ORDER BY arn"));
  while (true) {
    DURABLE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return arns;
    arns.push_back(q.Text(0));
  }
}

Result<std::optional<TimestampMs>> SqliteStore::NextDueAt() {
  std::optional<TimestampMs> next;
  std::lock_guard<std::mutex> lock(mu_);
  // A leased timer becomes claimable again only when its lease expires.
  for (const char* sql : {"SELECT MIN(due_at) FROM timers WHERE lease_until IS NULL",
                          "SELECT MIN(MAX(due_at, lease_until)) FROM timers "
                          "WHERE lease_until IS NOT NULL"}) {
    DURABLE_ASSIGN_OR_RETURN(Query q, db_->Prepare(sql));
    DURABLE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (row && !q.IsNull(0) && (!next || q.Int(0) < *next)) next = q.Int(0);
  }
  return next;
}

}  // namespace durable::store
