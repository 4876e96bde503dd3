// SqliteStore: the default Store, one SQLite file in WAL mode. Every Create/Apply is atomic and
// durable when it returns (synchronous=FULL unless configured otherwise). Group commit: calls that
// arrive while a transaction is being written are queued and then written together, each inside
// its own SAVEPOINT, in one transaction with one fsync; every caller returns only after that
// COMMIT, and a failing COMMIT fails every caller of the group.
// Thread-safe: one writing connection guarded by a mutex, through which all writes go (one
// write-transaction path); in WAL mode Load and Events read on a read-only connection of their own.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "durable/store/store.h"

namespace durable::store {
namespace sqlite {
class Db;
}  // namespace sqlite

struct SqliteOptions {
  // FULL (the default) fsyncs the WAL on every commit: an acknowledged checkpoint survives power
  // loss. NORMAL and OFF trade that away and are meant for benchmarks only.
  enum class Synchronous { kOff, kNormal, kFull };
  Synchronous synchronous = Synchronous::kFull;
  int busy_timeout_ms = 5000;  // wait this long for another process's write lock
  // Group commit: at most this many Create/Apply calls share one transaction (and one fsync).
  // 1 turns group commit off.
  int max_group_commits = 256;
  // Tests only: called inside every group transaction just before COMMIT with the number of
  // commits in it; a non-OK status aborts the transaction (as a failing COMMIT would).
  std::function<Status(size_t commits)> before_commit_for_test;
  // Tests only: called after every background WAL checkpoint pass with the WAL's frames and how
  // many of them the pass left copied into the database file.
  std::function<void(int wal_frames, int copied_frames)> after_checkpoint_for_test;
};

class SqliteStore final : public Store {
 public:
  // Opens or creates the database file and applies any pending schema files.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                   const SqliteOptions& options = {});
  ~SqliteStore() override;

  Status Create(const Commit& first) override;
  Status Apply(const Commit& commit) override;
  Result<ExecutionSnapshot> Load(const std::string& arn) override;
  Result<std::optional<model::DurableExecution>> FindByName(const std::string& function_name,
                                                            const std::string& name) override;
  Result<std::vector<model::Event>> Events(const std::string& arn, int64_t after_event_id,
                                           int32_t limit) override;
  Result<model::ListResponse> List(const model::ListRequest& request) override;
  Result<std::optional<CheckpointReplay>> FindReplay(const std::string& arn,
                                                     const std::string& client_token,
                                                     const std::string& checkpoint_token) override;
  Result<std::vector<std::string>> RunningExecutions() override;
  Result<std::vector<ClaimedTimer>> ClaimDueTimers(TimestampMs now, const std::string& owner,
                                                   int64_t lease_ms, int32_t limit) override;
  Result<std::optional<TimestampMs>> NextDueAt() override;
  Status Purge(const std::string& arn) override;

  // The value of `PRAGMA <name>` on the store's connection, e.g. "synchronous" -> "2" (FULL).
  Result<std::string> PragmaForTest(const std::string& name);

 private:
  SqliteStore(std::unique_ptr<sqlite::Db> db, SqliteOptions options);
  // Starts the background checkpoint on its own connection `checkpoint_db` (see below).
  void StartCheckpointer(std::unique_ptr<sqlite::Db> checkpoint_db);
  void CheckpointLoop();
  void CheckpointPass();

  // One queued Create/Apply of the group commit.
  static constexpr int kLeadRounds = 16;
  struct Pending {
    const Commit* commit = nullptr;
    bool create = false;
    Status status;               // final once `done`
    std::mutex mu;               // guards done and lead
    bool done = false;           // its group was written (status is final)
    bool lead = false;           // it is the next leader
    std::condition_variable cv;  // signalled when done or lead becomes true
  };
  // Shared by the waiting caller and the queue: a leader notifies after releasing the caller's
  // mutex (a caller woken while the leader still held it would block again at once), so the
  // caller may already have seen its flag and returned.
  using PendingRef = std::shared_ptr<Pending>;
  // Sets `flag` of `p` and wakes its caller.
  static void Notify(Pending& p, bool Pending::*flag);
  // Queues `commit` and returns once the group transaction holding it committed (or failed).
  Status Submit(const Commit& commit, bool create);
  // Writes `group` in one transaction; a failing commit leaves no trace and does not affect the
  // others. REQUIRES: mu_ not held.
  void WriteGroup(const std::vector<PendingRef>& group);
  // Writes the commits of `group` one after another in the open transaction, setting `any_ok`.
  // False if one failed after writing part of itself (the transaction must be redone with
  // savepoints). REQUIRES: mu_ held.
  bool WriteGroupOptimistic(const std::vector<PendingRef>& group, bool& any_ok);
  Status WriteBody(const Pending& p);
  // Prepares (cached) and runs one statement without parameters. REQUIRES: mu_ held.
  Status RunSql(std::string_view sql);
  Status CreateBody(const Commit& first);
  Status ApplyBody(const Commit& commit);

  // The one write path: runs `body` inside BEGIN IMMEDIATE ... COMMIT, rolling back on error.
  // REQUIRES: mu_ held.
  Status InWriteTxn(const std::function<Status()>& body);
  // Runs `body` inside a read transaction on `db` (a consistent snapshot). REQUIRES: the lock
  // that guards `db` held (see Reader).
  static Status InReadTxn(sqlite::Db& db, const std::function<Status()>& body);
  // The connection that Load and Events read on, locked: a read-only connection of its own when
  // the database is in WAL mode, so that those reads never wait for a group commit (its
  // statements and its fsync hold the writing connection); else the writing connection.
  struct Reader {
    std::unique_lock<std::mutex> lock;
    sqlite::Db* db;
  };
  Reader LockReader();
  // REQUIRES: mu_ held, inside a write transaction.
  // `exec` is the execution's integer key (executions.id).
  Status WriteCommitBody(const Commit& commit, int64_t exec);
  // The integer key of execution `arn`, if it exists, read on `db`. REQUIRES: its lock held.
  static Result<std::optional<int64_t>> ExecKey(sqlite::Db& db, const std::string& arn);
  Result<std::optional<int64_t>> ExecKeyLocked(const std::string& arn) {  // REQUIRES: mu_ held
    return ExecKey(*db_, arn);
  }
  Status InsertEvents(const Commit& commit, int64_t exec);
  // kAlreadyExists if an execution other than `e` has its (function name, name). REQUIRES: as
  // above.
  Status CheckNameFree(const model::DurableExecution& e);
  // Writes what changed from the `stored` row to `e`. REQUIRES: as above.
  Status UpdateExecution(const model::DurableExecution& stored, const model::DurableExecution& e,
                         int64_t exec);
  // Writes the columns of `e` that change during an execution's life. REQUIRES: as above.
  Status UpdateMutableColumns(const model::DurableExecution& e, int64_t exec, bool status_changed);
  // Sets the snapshot's next event id and sequence from its newest event and operation (the
  // row may be behind them), read on `db`. REQUIRES: its lock held, `snap.operations` sorted by
  // sequence.
  static Status DeriveCounters(sqlite::Db& db, int64_t exec, ExecutionSnapshot& snap);
  // Reads event `event_id` of execution `exec` (resolving its references) on `db`. REQUIRES:
  // its lock held.
  static Result<model::Event> LoadEvent(sqlite::Db& db, int64_t exec, int64_t event_id);
  Status WriteTimers(const Commit& commit, int64_t exec);

  std::mutex mu_;  // guards the connection
  std::unique_ptr<sqlite::Db> db_;
  std::mutex read_mu_;                   // guards read_db_
  std::unique_ptr<sqlite::Db> read_db_;  // null unless in WAL mode (see LockReader)
  const SqliteOptions options_;

  std::mutex queue_mu_;  // guards the group-commit queue below
  std::vector<PendingRef> queue_;
  bool writing_ = false;  // a caller is writing a group (the leader)

  // The WAL is copied into the database file by a thread of its own, on a second connection, once
  // it holds checkpoint_at_frames_ or more (kCheckpointFrames, more after a partial pass): SQLite's
  // automatic checkpoint would run inside a commit, holding the caller whose commit ended in it.
  static constexpr int kCheckpointFrames = 1000;
  int checkpoint_at_frames_ = kCheckpointFrames;  // guarded by mu_
  int wal_frames_ = 0;  // the WAL's frames not yet copied, as of the last commit; guarded by mu_
  std::unique_ptr<sqlite::Db> checkpoint_db_;
  std::thread checkpointer_;
  std::mutex checkpoint_mu_;  // guards the two flags below
  std::condition_variable checkpoint_cv_;
  bool checkpoint_wanted_ = false;
  bool stopping_ = false;
};

// The factory the server uses: a SqliteStore behind the Store port.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteOptions& options = {});

}  // namespace durable::store
