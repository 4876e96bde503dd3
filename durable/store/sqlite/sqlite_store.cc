// SqliteStore: opening, the write path (Create, Apply, ClaimDueTimers, Purge) and transactions.
#include "durable/store/sqlite/sqlite_store.h"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <tuple>

#include "durable/base/clock.h"
#include "durable/base/log.h"
#include "durable/base/macros.h"
#include "durable/store/codec.h"
#include "durable/store/sqlite/db.h"
#include "durable/store/sqlite/migrations.h"
#include "durable/store/sqlite/row_codec.h"
#include "durable/store/sqlite/rows.h"
#include "durable/store/sqlite/wal_buffer_vfs.h"

namespace durable::store {
namespace {

using sqlite::Query;

const char* SynchronousPragma(SqliteOptions::Synchronous s) {
  switch (s) {
    case SqliteOptions::Synchronous::kOff:
      return "PRAGMA synchronous=OFF";
    case SqliteOptions::Synchronous::kNormal:
      return "PRAGMA synchronous=NORMAL";
    case SqliteOptions::Synchronous::kFull:
      break;
  }
  return "PRAGMA synchronous=FULL";
}

Status CheckCommitShape(const Commit& c) {
  if (c.arn.empty()) return InvalidArgument("commit without arn");
  if (c.execution && c.execution->arn != c.arn) {
    return InvalidArgument("commit execution arn differs from commit arn");
  }
  for (const Timer& t : c.timers_set) {
    if (t.key.arn != c.arn) return InvalidArgument("timer of another execution in commit");
  }
  return Status::Ok();
}

std::string Placeholders(int n) {
  std::string out = "(?";
  for (int i = 1; i < n; ++i) out += ", ?";
  return out + ")";
}

// The statements below are built once (they are looked up in the statement cache by text).
const std::string& InsertExecutionSql() {
  static const std::string sql = std::string("INSERT INTO executions (") +
                                 sqlite::kExecutionColumns + ") VALUES " +
                                 Placeholders(sqlite::kExecutionColumnCount) + " RETURNING id";
  return sql;
}

// Same column order as kExecutionColumns (arn is re-bound to itself), then the key.
const std::string& UpdateExecutionSql() {
  static const std::string sql = std::string("UPDATE executions SET (") +
                                 sqlite::kExecutionColumns + ") = " +
                                 Placeholders(sqlite::kExecutionColumnCount) + " WHERE id = ?";
  return sql;
}


// Prepares (cached) and runs one statement without parameters on `db`.
Status RunCached(sqlite::Db& db, std::string_view sql) {
  DURABLE_ASSIGN_OR_RETURN(Query q, db.Prepare(sql));
  return q.Run();
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                       const SqliteOptions& options) {
  // The writing connection gathers each transaction's WAL frames into one write (see
  // wal_buffer_vfs.h); the checkpointer's connection only reads the WAL.
  DURABLE_ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Db> db,
                           sqlite::Db::Open(path, sqlite::WalBufferVfsName()));
  db->SetBusyTimeout(options.busy_timeout_ms);
  bool wal = false;
  {
    DURABLE_ASSIGN_OR_RETURN(Query q, db->Prepare("PRAGMA journal_mode=WAL"));
    DURABLE_ASSIGN_OR_RETURN(bool row, q.Step());
    std::string mode = row ? q.Text(0) : "";
    if (mode != "wal" && mode != "memory") {
      return FailedPrecondition("cannot switch " + path + " to WAL mode (got '" + mode + "')");
    }
    wal = mode == "wal";
  }
  DURABLE_RETURN_IF_ERROR(db->Exec(SynchronousPragma(options.synchronous)));
  DURABLE_RETURN_IF_ERROR(db->Exec("PRAGMA foreign_keys=ON"));
  // A group commit's statement journal (the pages each statement changes, kept to undo that
  // statement alone) stays in memory instead of spilling to a file created and deleted in the
  // temporary directory once it passes 64 KiB.
  DURABLE_RETURN_IF_ERROR(db->Exec("PRAGMA temp_store=MEMORY"));
  DURABLE_RETURN_IF_ERROR(
      sqlite::Migrate(*db, sqlite::EmbeddedSchema(), SystemClock::Get()->NowMs()));
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(db), options));
  if (wal) {
    DURABLE_ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Db> checkpoint_db, sqlite::Db::Open(path));
    checkpoint_db->SetBusyTimeout(options.busy_timeout_ms);
    // The checkpoint fsyncs the WAL before copying it and the database file after (unless the
    // store was opened with a lower durability for benchmarks).
    DURABLE_RETURN_IF_ERROR(checkpoint_db->Exec(SynchronousPragma(options.synchronous)));
    store->StartCheckpointer(std::move(checkpoint_db));
    DURABLE_ASSIGN_OR_RETURN(store->read_db_, sqlite::Db::Open(path));
    store->read_db_->SetBusyTimeout(options.busy_timeout_ms);
    DURABLE_RETURN_IF_ERROR(store->read_db_->Exec("PRAGMA query_only=ON"));
  }
  return store;
}

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteOptions& options) {
  DURABLE_ASSIGN_OR_RETURN(std::unique_ptr<SqliteStore> store, SqliteStore::Open(path, options));
  return std::unique_ptr<Store>(std::move(store));
}

SqliteStore::SqliteStore(std::unique_ptr<sqlite::Db> db, SqliteOptions options)
    : db_(std::move(db)), options_(std::move(options)) {}
SqliteStore::~SqliteStore() {
  if (checkpointer_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(checkpoint_mu_);
      stopping_ = true;
    }
    checkpoint_cv_.notify_one();
    checkpointer_.join();
  }
  read_db_.reset();
  checkpoint_db_.reset();  // before the main connection, which checkpoints what is left on close
}

void SqliteStore::StartCheckpointer(std::unique_ptr<sqlite::Db> checkpoint_db) {
  checkpoint_db_ = std::move(checkpoint_db);
  db_->SetWalHook([this](int frames) {  // runs in a commit, under mu_
    wal_frames_ = frames;
    if (frames < checkpoint_at_frames_) return;
    {
      std::lock_guard<std::mutex> lock(checkpoint_mu_);
      checkpoint_wanted_ = true;
    }
    checkpoint_cv_.notify_one();
  });
  checkpointer_ = std::thread([this] { CheckpointLoop(); });
}

void SqliteStore::CheckpointLoop() {
  std::unique_lock<std::mutex> lock(checkpoint_mu_);
  while (true) {
    checkpoint_cv_.wait(lock, [this] { return checkpoint_wanted_ || stopping_; });
    if (stopping_) return;
    checkpoint_wanted_ = false;
    lock.unlock();
    CheckpointPass();
    lock.lock();
  }
}

void SqliteStore::CheckpointPass() {
  // With the connection held no commit of ours runs meanwhile, so the pass copies the whole WAL
  // and the next commit starts it over. A pass beside commits copied only what was there when it
  // began, so the WAL never started over and every later commit asked for another pass (two
  // fsyncs each, competing with the commits' own).
  std::lock_guard<std::mutex> lock(mu_);
  // Asked again by a commit made while this thread waited for the connection: done already.
  if (wal_frames_ < checkpoint_at_frames_) return;
  Result<sqlite::Db::CheckpointResult> pass = checkpoint_db_->CheckpointPassive();
  if (!pass.ok()) {
    // Busy (another connection's checkpoint): the next commit asks again.
    if (pass.status().code() != StatusCode::kUnavailable) {
      log::Error("WAL checkpoint failed: {}", pass.status().ToString());
    }
    return;
  }
  if (options_.after_checkpoint_for_test) {
    options_.after_checkpoint_for_test(pass->wal_frames, pass->copied_frames);
  }
  // A reader on another connection can hold on to the end of the WAL: then the next pass waits
  // until the WAL has grown again rather than running after every commit.
  const bool whole = pass->copied_frames == pass->wal_frames;
  checkpoint_at_frames_ = whole ? kCheckpointFrames : pass->wal_frames + kCheckpointFrames / 4;
  wal_frames_ = whole ? 0 : pass->wal_frames;  // whole: the next commit starts the WAL over
}

Status SqliteStore::InWriteTxn(const std::function<Status()>& body) {
  DURABLE_RETURN_IF_ERROR(RunSql("BEGIN IMMEDIATE"));
  Status st = body();
  if (st.ok()) st = RunSql("COMMIT");
  if (!st.ok()) RunSql("ROLLBACK").ok();
  return st;
}

Status SqliteStore::InReadTxn(sqlite::Db& db, const std::function<Status()>& body) {
  DURABLE_RETURN_IF_ERROR(RunCached(db, "BEGIN"));
  Status st = body();
  Status end = RunCached(db, st.ok() ? "COMMIT" : "ROLLBACK");
  return st.ok() ? end : st;
}

SqliteStore::Reader SqliteStore::LockReader() {
  if (read_db_) return {std::unique_lock<std::mutex>(read_mu_), read_db_.get()};
  return {std::unique_lock<std::mutex>(mu_), db_.get()};
}

Result<std::optional<int64_t>> SqliteStore::ExecKey(sqlite::Db& db, const std::string& arn) {
  DURABLE_ASSIGN_OR_RETURN(Query q, db.Prepare("SELECT id FROM executions WHERE arn = ?"));
  DURABLE_ASSIGN_OR_RETURN(bool found, q.Bind(arn).Step());
  if (!found) return std::optional<int64_t>();
  return std::optional<int64_t>(q.Int(0));
}

Status SqliteStore::Create(const Commit& first) {
  if (!first.execution) return InvalidArgument("Create needs the execution row");
  DURABLE_RETURN_IF_ERROR(CheckCommitShape(first));
  return Submit(first, /*create=*/true);
}

Status SqliteStore::Apply(const Commit& commit) {
  DURABLE_RETURN_IF_ERROR(CheckCommitShape(commit));
  return Submit(commit, /*create=*/false);
}

void SqliteStore::Notify(Pending& p, bool Pending::*flag) {
  {
    std::lock_guard<std::mutex> set(p.mu);
    p.*flag = true;
  }
  p.cv.notify_one();
}

Status SqliteStore::Submit(const Commit& commit, bool create) {
  PendingRef mine = std::make_shared<Pending>();
  mine->commit = &commit;
  mine->create = create;
  std::unique_lock<std::mutex> lock(queue_mu_);
  queue_.push_back(mine);
  if (writing_) {
    lock.unlock();
    {
      // Woken only for this call: its group committed, or it is the next leader.
      std::unique_lock<std::mutex> wait(mine->mu);
      mine->cv.wait(wait, [&] { return mine->done || mine->lead; });
      if (mine->done) return mine->status;
    }
    lock.lock();
  } else {
    writing_ = true;
  }
  // The leader writes everything queued so far (this call first) as one transaction, and goes on
  // with what was queued meanwhile (up to kLeadRounds groups) rather than handing the lead to a
  // thread that would first have to be scheduled.
  const size_t max_group = static_cast<size_t>(std::max(1, options_.max_group_commits));
  for (int round = 0;; ++round) {
    size_t n = std::min(queue_.size(), max_group);
    std::vector<PendingRef> group(queue_.begin(), queue_.begin() + static_cast<ptrdiff_t>(n));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<ptrdiff_t>(n));
    lock.unlock();
    WriteGroup(group);
    for (const PendingRef& p : group) {
      if (p == mine) continue;
      Notify(*p, &Pending::done);
    }
    lock.lock();
    if (queue_.empty()) {
      writing_ = false;
      return mine->status;
    }
    if (round + 1 >= kLeadRounds) break;
  }
  // Hand the lead to the oldest waiting call (it stays queued: only this leader can take it).
  PendingRef next = queue_.front();
  lock.unlock();
  Notify(*next, &Pending::lead);
  return mine->status;
}

void SqliteStore::WriteGroup(const std::vector<PendingRef>& group) {
  std::lock_guard<std::mutex> lock(mu_);
  auto begin = [&] {
    Status st = RunSql("BEGIN IMMEDIATE");
    if (!st.ok()) {
      for (const PendingRef& p : group) p->status = st;
    }
    return st.ok();
  };
  if (!begin()) return;
  bool any_ok = false;
  if (!WriteGroupOptimistic(group, any_ok)) {
    // A commit failed after writing part of itself: start over with each commit in its own
    // savepoint, so the failed one leaves no trace and does not affect the others.
    RunSql("ROLLBACK").ok();
    if (!begin()) return;
    any_ok = false;
    for (const PendingRef& p : group) {
      Status sp = RunSql("SAVEPOINT durable_commit");
      p->status = sp.ok() ? WriteBody(*p) : sp;
      if (sp.ok() && !p->status.ok()) sp = RunSql("ROLLBACK TO durable_commit");
      if (sp.ok()) sp = RunSql("RELEASE durable_commit");
      if (!sp.ok()) {
        // The transaction is in an unknown state: give it up whole.
        for (const PendingRef& q : group) q->status = sp;
        RunSql("ROLLBACK").ok();
        return;
      }
      any_ok = any_ok || p->status.ok();
    }
  }
  if (!db_->InTransaction()) return;  // SQLite ended it after an error: every status says so
  if (!any_ok) {
    RunSql("ROLLBACK").ok();
    return;
  }
  Status commit = Status::Ok();
  if (options_.before_commit_for_test) commit = options_.before_commit_for_test(group.size());
  if (commit.ok()) commit = RunSql("COMMIT");
  if (!commit.ok()) {
    RunSql("ROLLBACK").ok();
    // Nothing of the group is durable: every caller whose part had succeeded fails.
    for (const PendingRef& p : group) {
      if (p->status.ok()) p->status = commit;
    }
  }
}

bool SqliteStore::WriteGroupOptimistic(const std::vector<PendingRef>& group, bool& any_ok) {
  // Without savepoints (two statements and a copy of every page touched, per commit). A commit
  // that fails before writing anything (unknown execution, duplicate name, ...) leaves nothing to
  // undo; one that fails after a write needs the savepoint path.
  for (const PendingRef& p : group) {
    const int64_t changes_before = db_->TotalChanges();
    p->status = WriteBody(*p);
    if (p->status.ok()) {
      any_ok = true;
      continue;
    }
    if (!db_->InTransaction()) {
      // SQLite rolled the transaction back (I/O error, disk full): nothing of the group is written.
      for (const PendingRef& q : group) q->status = p->status;
      return true;
    }
    // Alone in its group, a failed commit is undone with the whole transaction.
    if (db_->TotalChanges() != changes_before && group.size() > 1) return false;
  }
  return true;
}

Status SqliteStore::WriteBody(const Pending& p) {
  return p.create ? CreateBody(*p.commit) : ApplyBody(*p.commit);
}

Status SqliteStore::RunSql(std::string_view sql) { return RunCached(*db_, sql); }

Status SqliteStore::CreateBody(const Commit& first) {
  const model::DurableExecution& e = *first.execution;
  {
    DURABLE_ASSIGN_OR_RETURN(std::optional<int64_t> existing, ExecKeyLocked(first.arn));
    if (existing) return AlreadyExists("durable execution " + first.arn + " already exists");
    DURABLE_RETURN_IF_ERROR(CheckNameFree(e));
    DURABLE_ASSIGN_OR_RETURN(Query insert, db_->Prepare(InsertExecutionSql()));
    sqlite::ExecutionRow row(e);
    row.Bind(insert);
    DURABLE_ASSIGN_OR_RETURN(bool inserted, insert.Step());
    if (!inserted) return Internal("inserting execution " + first.arn + " returned no key");
    const int64_t exec = insert.Int(0);
    return WriteCommitBody(first, exec);
  }
}

Status SqliteStore::ApplyBody(const Commit& commit) {
  if (!commit.execution) {
    DURABLE_ASSIGN_OR_RETURN(std::optional<int64_t> exec, ExecKeyLocked(commit.arn));
    if (!exec) return NotFound("durable execution " + commit.arn + " not found");
    return WriteCommitBody(commit, *exec);
  }
  int64_t exec = 0;
  std::optional<model::DurableExecution> stored;
  {
    DURABLE_ASSIGN_OR_RETURN(Query cur, db_->Prepare(sqlite::SelectExecutionByArnSql()));
    DURABLE_ASSIGN_OR_RETURN(bool exists, cur.Bind(commit.arn).Step());
    if (!exists) return NotFound("durable execution " + commit.arn + " not found");
    exec = cur.Int(0);
    DURABLE_ASSIGN_OR_RETURN(stored, sqlite::ReadExecution(cur, 1));
  }
  DURABLE_RETURN_IF_ERROR(UpdateExecution(*stored, *commit.execution, exec));
  return WriteCommitBody(commit, exec);
}

Status SqliteStore::CheckNameFree(const model::DurableExecution& e) {
  DURABLE_ASSIGN_OR_RETURN(
      Query by_name,
      db_->Prepare("SELECT 1 FROM executions WHERE function_name = ? AND name = ? AND arn <> ?"));
  DURABLE_ASSIGN_OR_RETURN(bool taken,
                           by_name.Bind(e.function_name).Bind(e.name).Bind(e.arn).Step());
  if (!taken) return Status::Ok();
  return AlreadyExists("durable execution " + e.function_name + "/" + e.name + " already exists");
}

Status SqliteStore::UpdateExecution(const model::DurableExecution& stored,
                                    const model::DurableExecution& e, int64_t exec) {
  // The counters alone move with almost every checkpoint; Load derives them from the newest event
  // and operation, so they are not written (the row's page stays out of the commit).
  if (model::EqualExceptCounters(stored, e)) return Status::Ok();
  model::DurableExecution same_mutable = e;
  same_mutable.next_event_id = stored.next_event_id;
  same_mutable.next_sequence = stored.next_sequence;
  same_mutable.status = stored.status;
  same_mutable.end_timestamp = stored.end_timestamp;
  same_mutable.result = stored.result;
  same_mutable.error = stored.error;
  same_mutable.failed_invocations = stored.failed_invocations;
  same_mutable.invoke_at = stored.invoke_at;
  same_mutable.retain_until = stored.retain_until;
  if (same_mutable == stored) {
    // The usual case: only the columns the engine changes during an execution's life differ.
    // Setting only those leaves the name and start indexes untouched (SQLite rewrites an index
    // only if one of its columns is SET).
    return UpdateMutableColumns(e, exec, e.status != stored.status);
  }
  DURABLE_RETURN_IF_ERROR(CheckNameFree(e));
  DURABLE_ASSIGN_OR_RETURN(Query update, db_->Prepare(UpdateExecutionSql()));
  sqlite::ExecutionRow row(e);
  row.Bind(update);
  return update.Bind(exec).Run();
}

Status SqliteStore::WriteCommitBody(const Commit& commit, int64_t exec) {
  // Events first: operation rows may refer to an event of the same commit for their result.
  DURABLE_RETURN_IF_ERROR(InsertEvents(commit, exec));
  // operations.callback_id is neither written nor read (schema version 5 dropped its index; the
  // engine finds a callback through the arn in its id): older rows keep theirs, new rows leave it
  // NULL, and the column stays, as dropping it would rewrite the table.
  for (const model::OperationRecord& rec : commit.operations) {
    DURABLE_ASSIGN_OR_RETURN(
        Query q, db_->Prepare("INSERT INTO operations (exec, id, record) VALUES (?, ?, ?) "
                              "ON CONFLICT (exec, id) DO UPDATE SET record = excluded.record"));
    const std::string blob = sqlite::PackOperation(rec, sqlite::ResultEvent(rec, commit.events));
    DURABLE_RETURN_IF_ERROR(q.Bind(exec).Bind(rec.operation.id).BindBlob(blob).Run());
  }
  DURABLE_RETURN_IF_ERROR(WriteTimers(commit, exec));
  if (commit.replay) {
    const CheckpointReplay& r = *commit.replay;
    // Only the latest answer of an execution can be asked for again (see docs/storage.md).
    DURABLE_ASSIGN_OR_RETURN(Query q,
                             db_->Prepare("INSERT INTO checkpoint_answers (exec, client_token, "
                                          "checkpoint_token, request_hash, response_body) "
                                          "VALUES (?, ?, ?, ?, ?) ON CONFLICT (exec) DO UPDATE SET "
                                          "client_token = excluded.client_token, "
                                          "checkpoint_token = excluded.checkpoint_token, "
                                          "request_hash = excluded.request_hash, "
                                          "response_body = excluded.response_body"));
    q.Bind(exec).Bind(r.client_token).Bind(r.checkpoint_token).Bind(r.request_hash);
    DURABLE_RETURN_IF_ERROR(q.BindBlob(r.response_body).Run());
  }
  return Status::Ok();
}

Status SqliteStore::UpdateMutableColumns(const model::DurableExecution& e, int64_t exec,
                                         bool status_changed) {
  std::optional<std::string> error_blob;
  if (e.error) error_blob = codec::EncodeError(*e.error);
  DURABLE_ASSIGN_OR_RETURN(
      Query q,
      db_->Prepare(status_changed
                       ? "UPDATE executions SET status = ?, end_ts = ?, result = ?, error = ?, "
                         "next_event_id = ?, next_sequence = ?, failed_invocations = ?, "
                         "invoke_at = ?, retain_until = ? WHERE id = ?"
                       : "UPDATE executions SET end_ts = ?, result = ?, error = ?, "
                         "next_event_id = ?, next_sequence = ?, failed_invocations = ?, "
                         "invoke_at = ?, retain_until = ? WHERE id = ?"));
  if (status_changed) q.Bind(model::ToString(e.status));
  q.Bind(e.end_timestamp).Bind(e.result);
  if (error_blob) {
    q.BindBlob(*error_blob);
  } else {
    q.BindNull();
  }
  q.Bind(e.next_event_id).Bind(e.next_sequence).Bind(int64_t{e.failed_invocations});
  return q.Bind(e.invoke_at).Bind(e.retain_until).Bind(exec).Run();
}

Status SqliteStore::InsertEvents(const Commit& commit, int64_t exec) {
  for (size_t i = 0; i < commit.events.size(); ++i) {
    const model::Event& ev = commit.events[i];
    if (ev.event_id < 0 || ev.event_id >= sqlite::kEventIdLimit) {
      return InvalidArgument("event id " + std::to_string(ev.event_id) + " out of range");
    }
    DURABLE_ASSIGN_OR_RETURN(Query q, db_->Prepare("INSERT INTO events (k, body) VALUES (?, ?)"));
    const std::string blob = sqlite::PackEvent(ev, sqlite::EventBase(commit.events, i));
    Status st = q.Bind(sqlite::EventKey(exec, ev.event_id)).BindBlob(blob).Run();
    if (st.code() == StatusCode::kFailedPrecondition) {
      return FailedPrecondition("event id " + std::to_string(ev.event_id) + " already exists");
    }
    DURABLE_RETURN_IF_ERROR(st);
  }
  return Status::Ok();
}

Status SqliteStore::WriteTimers(const Commit& commit, int64_t exec) {
  if (commit.clear_all_timers) {
    DURABLE_ASSIGN_OR_RETURN(Query q, db_->Prepare("DELETE FROM timers WHERE exec = ?"));
    DURABLE_RETURN_IF_ERROR(q.Bind(exec).Run());
  }
  for (const TimerKey& k : commit.timers_cleared) {
    DURABLE_ASSIGN_OR_RETURN(
        Query q,
        db_->Prepare("DELETE FROM timers WHERE exec = ? AND kind = ? AND operation_id = ?"));
    DURABLE_RETURN_IF_ERROR(
        q.Bind(exec).Bind(static_cast<int64_t>(k.kind)).Bind(k.operation_id).Run());
  }
  for (const Timer& t : commit.timers_set) {
    DURABLE_ASSIGN_OR_RETURN(
        Query q,
        db_->Prepare("INSERT INTO timers (exec, kind, operation_id, due_at) VALUES (?, ?, ?, ?) "
                     "ON CONFLICT (exec, kind, operation_id) DO UPDATE SET due_at = "
                     "excluded.due_at, lease_owner = NULL, lease_until = NULL"));
    q.Bind(exec).Bind(static_cast<int64_t>(t.key.kind)).Bind(t.key.operation_id);
    DURABLE_RETURN_IF_ERROR(q.Bind(t.due_at).Run());
  }
  return Status::Ok();
}

Result<std::vector<ClaimedTimer>> SqliteStore::ClaimDueTimers(TimestampMs now,
                                                              const std::string& owner,
                                                              int64_t lease_ms, int32_t limit) {
  std::vector<ClaimedTimer> claimed;
  const TimestampMs lease_until = now + lease_ms;
  std::lock_guard<std::mutex> lock(mu_);
  // A claim need not be durable: lost in a crash, it leaves the timers unleased, as they were
  // before it, and the node that held them in memory is gone too; they are claimed again. So the
  // claim's COMMIT is not fsynced (synchronous=OFF for this transaction only): its WAL frames
  // become durable with the next synced COMMIT of any connection (an fsync of the WAL file covers
  // everything written to it before), or are lost in a crash before that, when no later commit has
  // been acknowledged either. The WAL checkpoint runs on its own connection with the configured
  // sync setting (CheckpointLoop), never inside this unsynced commit.
  Status st = RunSql("PRAGMA synchronous=OFF");
  if (st.ok()) {
    st = InWriteTxn([&]() -> Status {
      // One statement: the subquery finds the due timers by due_at, the update reaches each by
      // its key (RETURNING yields them in no particular order: sorted below).
      // (The arn of each is read afterwards: RETURNING cannot join.)
      std::vector<int64_t> execs;
      {
        DURABLE_ASSIGN_OR_RETURN(
            Query q,
            db_->Prepare("UPDATE timers SET lease_owner = ?1, lease_until = ?2 "
                         "WHERE (exec, kind, operation_id) IN (SELECT exec, kind, operation_id "
                         "FROM timers WHERE due_at <= ?3 AND (lease_until IS NULL OR "
                         "lease_until <= ?3) ORDER BY due_at, exec, kind, operation_id LIMIT ?4) "
                         "RETURNING exec, kind, operation_id, due_at"));
        q.Bind(owner).Bind(lease_until).Bind(now);
        q.Bind(limit > 0 ? int64_t{limit} : int64_t{-1});
        while (true) {
          DURABLE_ASSIGN_OR_RETURN(bool row, q.Step());
          if (!row) break;
          execs.push_back(q.Int(0));
          TimerKey key{"", static_cast<TimerKind>(q.Int(1)), q.Text(2)};
          claimed.push_back({Timer{std::move(key), q.Int(3)}, lease_until});
        }
      }
      for (size_t i = 0; i < claimed.size(); ++i) {
        DURABLE_ASSIGN_OR_RETURN(Query arn,
                                 db_->Prepare("SELECT arn FROM executions WHERE id = ?"));
        DURABLE_ASSIGN_OR_RETURN(bool found, arn.Bind(execs[i]).Step());
        if (!found) return Internal("timer of a missing execution " + std::to_string(execs[i]));
        claimed[i].timer.key.arn = arn.Text(0);
      }
      return Status::Ok();
    });
  }
  // Back to the configured durability before anything else uses the connection. Should that
  // fail, every later commit could be acknowledged without an fsync: stop instead.
  Status restored = RunSql(SynchronousPragma(options_.synchronous));
  if (!restored.ok()) {
    log::Error("restoring the SQLite durability settings failed: {}", restored.ToString());
    std::abort();
  }
  if (!st.ok()) return st;
  std::sort(claimed.begin(), claimed.end(), [](const ClaimedTimer& a, const ClaimedTimer& b) {
    const TimerKey& x = a.timer.key;
    const TimerKey& y = b.timer.key;
    return std::tie(a.timer.due_at, x.arn, x.kind, x.operation_id) <
           std::tie(b.timer.due_at, y.arn, y.kind, y.operation_id);
  });
  return claimed;
}

Status SqliteStore::Purge(const std::string& arn) {
  std::lock_guard<std::mutex> lock(mu_);
  return InWriteTxn([&]() -> Status {
    DURABLE_ASSIGN_OR_RETURN(std::optional<int64_t> exec, ExecKeyLocked(arn));
    if (!exec) return NotFound("durable execution " + arn + " not found");
    {
      DURABLE_ASSIGN_OR_RETURN(Query q, db_->Prepare("DELETE FROM events WHERE k >= ? AND k < ?"));
      DURABLE_RETURN_IF_ERROR(
          q.Bind(sqlite::EventKey(*exec, 0)).Bind(sqlite::EventKey(*exec + 1, 0)).Run());
    }
    for (const char* sql :
         {"DELETE FROM timers WHERE exec = ?", "DELETE FROM operations WHERE exec = ?",
          "DELETE FROM checkpoint_answers WHERE exec = ?", "DELETE FROM executions WHERE id = ?"}) {
      DURABLE_ASSIGN_OR_RETURN(Query q, db_->Prepare(sql));
      DURABLE_RETURN_IF_ERROR(q.Bind(*exec).Run());
    }
    return Status::Ok();
  });
}

Result<std::string> SqliteStore::PragmaForTest(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  DURABLE_ASSIGN_OR_RETURN(Query q, db_->Prepare("PRAGMA " + name));
  DURABLE_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return NotFound("pragma " + name + " returned no row");
  return q.Text(0);
}

}  // namespace durable::store
