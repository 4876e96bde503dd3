// SqliteStore: the default Store, one SQLite file in WAL mode. Every Create/Apply is one
// transaction, durable when it returns (synchronous=FULL unless configured otherwise).
// Thread-safe: one connection guarded by a mutex; all writes go through one write-transaction path.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

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
  Result<std::pair<std::string, std::string>> FindCallback(const std::string& callback_id) override;
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
  explicit SqliteStore(std::unique_ptr<sqlite::Db> db);

  // The one write path: runs `body` inside BEGIN IMMEDIATE ... COMMIT, rolling back on error.
  // REQUIRES: mu_ held.
  Status InWriteTxn(const std::function<Status()>& body);
  // Runs `body` inside a read transaction (a consistent snapshot). REQUIRES: mu_ held.
  Status InReadTxn(const std::function<Status()>& body);
  // REQUIRES: mu_ held, inside a write transaction.
  Status WriteCommitBody(const Commit& commit);
  Result<bool> ExistsLocked(const std::string& arn);
  Status InsertEvents(const Commit& commit);
  Status WriteTimers(const Commit& commit);

  std::mutex mu_;
  std::unique_ptr<sqlite::Db> db_;
};

// The factory the server uses: a SqliteStore behind the Store port.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteOptions& options = {});

}  // namespace durable::store
