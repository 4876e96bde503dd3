#include "durable/store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "durable/base/ids.h"
#include "durable/store/sqlite/db.h"
#include "durable/store/sqlite/migrations.h"
#include "durable/store/store_test_suite.h"

namespace durable::store {
namespace {

namespace fs = std::filesystem;

// A directory of database files for this test process, removed when the process ends.
class TempDir : public ::testing::Environment {
 public:
  static const fs::path& Path() {
    static const fs::path path = [] {
      fs::path p = fs::temp_directory_path() /
                   ("durable-store-test-" + std::to_string(getpid()) + "-" + RandomAlnum(6));
      fs::create_directories(p);
      return p;
    }();
    return path;
  }
  static std::string NewFile() {
    static std::atomic<int> counter{0};
    return (Path() / ("db" + std::to_string(counter++) + ".sqlite")).string();
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(Path(), ignored);
  }
};
const auto* const kTempDir = ::testing::AddGlobalTestEnvironment(new TempDir);

std::unique_ptr<SqliteStore> MustOpen(const std::string& path, SqliteOptions options = {}) {
  Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path, options);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContractTest,
                         ::testing::Values(StoreBackend{
                             "Sqlite", [] { return MustOpen(TempDir::NewFile()); }}),
                         StoreBackendName);

// Reads one integer with a separate raw connection, as an operator's sqlite3 shell would.
int64_t RawInt(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
  int64_t value = -1;
  if (sqlite3_step(stmt) == SQLITE_ROW) value = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return value;
}

TEST(SqliteStoreTest, ReopeningTheFileSeesEverythingCommitted) {
  const std::string path = TempDir::NewFile();
  model::DurableExecution e = FullExecution("a", 1000);
  Commit first = FirstCommit(e);
  first.operations.push_back(EveryOperationType()[4]);
  first.timers_set.push_back({{e.arn, TimerKind::kCallbackTimeout, "cb"}, 77});
  first.replay = CheckpointReplay{"c", "t", "h", "body"};
  {
    std::unique_ptr<SqliteStore> store = MustOpen(path);
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->Create(first).ok());
  }
  std::unique_ptr<SqliteStore> store = MustOpen(path);
  ASSERT_NE(store, nullptr);
  Result<ExecutionSnapshot> snap = store->Load(e.arn);
  ASSERT_TRUE(snap.ok());
  EXPECT_EQ(snap->execution, e);
  EXPECT_EQ(snap->operations, first.operations);
  EXPECT_EQ(store->Events(e.arn, 0, 0).value(), first.events);
  EXPECT_EQ(store->NextDueAt()->value_or(-1), 77);
  EXPECT_EQ(store->FindCallback("cb-id-1")->second, "cb");
  EXPECT_EQ(store->FindReplay(e.arn, "c", "t")->value(), *first.replay);
}

TEST(SqliteStoreTest, CommitSurvivesTheProcessDyingRightAfterApplyReturns) {
  const std::string path = TempDir::NewFile();
  model::DurableExecution e = FullExecution("a", 1000);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // No destructor runs: the connection is never closed and the WAL never checkpointed.
    Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path);
    _exit(store.ok() && (*store)->Create(FirstCommit(e)).ok() ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  std::unique_ptr<SqliteStore> store = MustOpen(path);
  ASSERT_NE(store, nullptr);
  Result<ExecutionSnapshot> snap = store->Load(e.arn);
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  EXPECT_EQ(snap->execution, e);
}

TEST(SqliteStoreTest, TwoNodesOnOneFileClaimDisjointTimers) {
  const std::string path = TempDir::NewFile();
  std::unique_ptr<SqliteStore> node1 = MustOpen(path);
  std::unique_ptr<SqliteStore> node2 = MustOpen(path);
  ASSERT_TRUE(node1 != nullptr && node2 != nullptr);
  constexpr int kTimers = 40;
  for (int i = 0; i < kTimers; ++i) {
    model::DurableExecution e = FullExecution("e" + std::to_string(i), 1000);
    Commit c = FirstCommit(e);
    c.timers_set.push_back({{e.arn, TimerKind::kInvoke, ""}, i});
    ASSERT_TRUE((i % 2 ? node1 : node2)->Create(c).ok());
  }
  std::vector<std::string> claimed[2];
  auto claim = [&](SqliteStore* node, std::vector<std::string>* out) {
    for (int round = 0; round < 20; ++round) {
      Result<std::vector<ClaimedTimer>> got = node->ClaimDueTimers(5000, "n", 60'000, 3);
      ASSERT_TRUE(got.ok()) << got.status().ToString();
      for (const ClaimedTimer& c : *got) out->push_back(c.timer.key.arn);
    }
  };
  std::thread t1(claim, node1.get(), &claimed[0]);
  std::thread t2(claim, node2.get(), &claimed[1]);
  t1.join();
  t2.join();
  std::set<std::string> all(claimed[0].begin(), claimed[0].end());
  all.insert(claimed[1].begin(), claimed[1].end());
  EXPECT_EQ(all.size(), claimed[0].size() + claimed[1].size()) << "a timer was claimed twice";
  EXPECT_EQ(all.size(), size_t{kTimers});
}

// Runs `body(i)` on `n` threads at once and returns when all are done.
template <typename Fn>
void OnThreads(int n, Fn body) {
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) threads.emplace_back(body, i);
  for (auto& t : threads) t.join();
}

// Group commit helpers: the hook holds the first group's COMMIT until every writer has called
// the store, so the others queue up and are written together as later groups.
struct GroupProbe {
  std::mutex mu;
  std::vector<size_t> groups;  // size of each group that reached COMMIT
  std::atomic<int> calling{0};
  int writers = 0;
  std::atomic<bool> armed{true};  // false: the hook lets everything through unrecorded
  SqliteOptions Options(std::function<Status(size_t)> verdict = nullptr) {
    SqliteOptions o;
    o.before_commit_for_test = [this, verdict](size_t n) -> Status {
      if (!armed) return Status::Ok();
      bool first;
      {
        std::lock_guard<std::mutex> lock(mu);
        first = groups.empty();
        groups.push_back(n);
      }
      if (first) {
        while (calling.load() < writers) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
      }
      return verdict ? verdict(n) : Status::Ok();
    };
    return o;
  }
  size_t Largest() {
    std::lock_guard<std::mutex> lock(mu);
    size_t m = 0;
    for (size_t g : groups) m = std::max(m, g);
    return m;
  }
};

TEST(SqliteStoreTest, GroupCommitAcknowledgesEachWriterOnlyAfterItsCommitIsDurable) {
  const std::string path = TempDir::NewFile();
  GroupProbe probe;
  probe.writers = 24;
  std::unique_ptr<SqliteStore> store = MustOpen(path, probe.Options());
  ASSERT_NE(store, nullptr);
  std::atomic<int> visible{0};
  OnThreads(probe.writers, [&](int i) {
    model::DurableExecution e = FullExecution("g" + std::to_string(i), 1000 + i);
    ++probe.calling;
    Status st = store->Create(FirstCommit(e));
    ASSERT_TRUE(st.ok()) << st.ToString();
    // Another connection sees only committed data: the commit is done when Create returns.
    if (RawInt(path, "SELECT count(*) FROM executions WHERE arn = '" + e.arn + "'") == 1) ++visible;
  });
  EXPECT_EQ(visible.load(), probe.writers);
  size_t total = 0;
  for (size_t g : probe.groups) total += g;
  EXPECT_EQ(total, size_t(probe.writers));
  EXPECT_GT(probe.Largest(), 1u) << "no two writers shared a transaction";
  EXPECT_LT(probe.groups.size(), size_t(probe.writers));
}

TEST(SqliteStoreTest, AFailingGroupCommitFailsEveryCallerInTheGroup) {
  const std::string path = TempDir::NewFile();
  GroupProbe probe;
  probe.writers = 16;
  std::atomic<int> failed_in_groups{0};
  // Every group of more than one commit fails at COMMIT.
  std::unique_ptr<SqliteStore> store = MustOpen(path, probe.Options([&](size_t n) -> Status {
    if (n == 1) return Status::Ok();
    failed_in_groups += static_cast<int>(n);
    return Internal("injected commit failure");
  }));
  ASSERT_NE(store, nullptr);
  std::atomic<int> failures{0};
  OnThreads(probe.writers, [&](int i) {
    model::DurableExecution e = FullExecution("f" + std::to_string(i), 1000 + i);
    ++probe.calling;
    Status st = store->Create(FirstCommit(e));
    Result<ExecutionSnapshot> snap = store->Load(e.arn);
    if (st.ok()) {
      EXPECT_TRUE(snap.ok()) << "acknowledged but not stored: " << e.arn;
    } else {
      ++failures;
      EXPECT_EQ(st.code(), StatusCode::kInternal) << st.ToString();
      EXPECT_NE(st.message().find("injected"), std::string::npos) << st.ToString();
      EXPECT_EQ(snap.status().code(), StatusCode::kNotFound) << "failed but stored: " << e.arn;
    }
  });
  EXPECT_GT(probe.Largest(), 1u);
  EXPECT_EQ(failures.load(), failed_in_groups.load());
  EXPECT_GT(failures.load(), 1);
  // The store keeps working after a failed group.
  EXPECT_TRUE(store->Create(FirstCommit(FullExecution("after", 5000))).ok());
}

TEST(SqliteStoreTest, ABadCommitInAGroupLeavesNoTraceAndSparesTheOthers) {
  const std::string path = TempDir::NewFile();
  GroupProbe probe;
  probe.writers = 12;
  std::unique_ptr<SqliteStore> store = MustOpen(path, probe.Options());
  ASSERT_NE(store, nullptr);
  std::vector<model::DurableExecution> execs;
  probe.armed = false;
  for (int i = 0; i < probe.writers; ++i) {
    execs.push_back(FullExecution("b" + std::to_string(i), 1000 + i));
    ASSERT_TRUE(store->Create(FirstCommit(execs.back())).ok());
  }
  probe.armed = true;
  OnThreads(probe.writers, [&](int i) {
    const model::DurableExecution& e = execs[i];
    Commit c;
    c.arn = e.arn;
    model::OperationRecord op = EveryOperationType().front();
    c.operations.push_back(op);
    // Writer 0 reuses event id 1 (already stored): its whole commit must be refused.
    c.events.push_back(FullEvent(model::EventType::kStepStarted, i == 0 ? 1 : 2));
    ++probe.calling;
    Status st = store->Apply(c);
    Result<ExecutionSnapshot> snap = store->Load(e.arn);
    ASSERT_TRUE(snap.ok());
    if (i == 0) {
      EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition) << st.ToString();
      EXPECT_EQ(snap->operations.size(), 1u) << "the refused commit left an operation behind";
    } else {
      EXPECT_TRUE(st.ok()) << st.ToString();
      EXPECT_EQ(snap->operations.size(), 2u);
    }
  });
  EXPECT_GT(probe.Largest(), 1u);
}

TEST(SqliteStoreTest, KeepsOnlyTheLatestCheckpointAnswerOfAnExecution) {
  const std::string path = TempDir::NewFile();
  std::unique_ptr<SqliteStore> store = MustOpen(path);
  ASSERT_NE(store, nullptr);
  model::DurableExecution a = FullExecution("a", 1000);
  model::DurableExecution b = FullExecution("b", 1000);
  ASSERT_TRUE(store->Create(FirstCommit(a)).ok());
  ASSERT_TRUE(store->Create(FirstCommit(b)).ok());
  for (const auto* e : {&a, &b}) {
    for (int i = 1; i <= 3; ++i) {
      Commit c;
      c.arn = e->arn;
      c.replay = CheckpointReplay{"client-" + std::to_string(i), "token-" + std::to_string(i),
                                  "hash", "body-" + std::to_string(i)};
      ASSERT_TRUE(store->Apply(c).ok());
    }
  }
  EXPECT_EQ(RawInt(path, "SELECT count(*) FROM checkpoint_answers"), 2);
  EXPECT_EQ(store->FindReplay(a.arn, "client-3", "token-3")->value().response_body, "body-3");
  EXPECT_EQ(store->FindReplay(b.arn, "client-3", "token-3")->value().response_body, "body-3");
  EXPECT_FALSE(store->FindReplay(a.arn, "client-2", "token-2")->has_value());
}

TEST(SqliteStoreTest, Version2CarriesVersion1RowsOverAndKeepsTheLatestAnswer) {
  const std::string path = TempDir::NewFile();
  {
    // A version-1 database: one execution, an operation, an event and three answers.
    Result<std::unique_ptr<sqlite::Db>> db = sqlite::Db::Open(path);
    ASSERT_TRUE(db.ok());
    std::vector<sqlite::SchemaFile> v1 = {sqlite::EmbeddedSchema().front()};
    ASSERT_EQ(v1[0].version, 1);
    ASSERT_TRUE(sqlite::Migrate(**db, v1, 0).ok());
    ASSERT_TRUE((*db)
                    ->Exec("INSERT INTO executions (arn, name, execution_id, function_name, "
                           "function_arn, version, status, start_ts, execution_timeout_s, "
                           "retention_days, next_event_id, next_sequence, failed_invocations) "
                           "VALUES ('a', 'n', 'i', 'f', 'fa', '$LATEST', 'RUNNING', 1, 1, 1, 1, "
                           "1, 0)")
                    .ok());
    for (int i = 1; i <= 3; ++i) {
      std::string n = std::to_string(i);
      ASSERT_TRUE((*db)
                      ->Exec("INSERT INTO checkpoint_replays VALUES ('a', 'c" + n + "', 't" + n +
                             "', 'h', 'body" + n + "')")
                      .ok());
    }
    ASSERT_TRUE((*db)
                    ->Exec("INSERT INTO operations VALUES ('a', 'op', 2, 'CALLBACK', "
                           "'STARTED', 'cb-1', x'00')")
                    .ok());
    ASSERT_TRUE(
        (*db)->Exec("INSERT INTO events VALUES ('a', 1, 'ExecutionStarted', 5, x'00')").ok());
  }
  std::unique_ptr<SqliteStore> store = MustOpen(path);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(RawInt(path, "SELECT MAX(version) FROM schema_version"), 2);
  EXPECT_EQ(RawInt(path, "SELECT count(*) FROM checkpoint_answers"), 1);
  EXPECT_EQ(store->FindReplay("a", "c3", "t3")->value().response_body, "body3");
  EXPECT_EQ(RawInt(path, "SELECT count(*) FROM operations WHERE arn = 'a' AND id = 'op'"), 1);
  EXPECT_EQ(RawInt(path, "SELECT event_ts FROM events WHERE arn = 'a' AND event_id = 1"), 5);
  Result<std::pair<std::string, std::string>> cb = store->FindCallback("cb-1");
  ASSERT_TRUE(cb.ok()) << cb.status().ToString();
  EXPECT_EQ(cb->second, "op");
}

TEST(SqliteStoreTest, SchemaIsAppliedOnceAndRecorded) {
  const std::string path = TempDir::NewFile();
  for (int i = 0; i < 3; ++i) ASSERT_NE(MustOpen(path), nullptr);
  EXPECT_EQ(RawInt(path, "SELECT COUNT(*) FROM schema_version"), 2);
  EXPECT_EQ(RawInt(path, "SELECT MAX(version) FROM schema_version"), 2);
  EXPECT_EQ(RawInt(path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'executions'"), 1);
}

TEST(SqliteStoreTest, RefusesADatabaseNewerThanTheBinary) {
  const std::string path = TempDir::NewFile();
  ASSERT_NE(MustOpen(path), nullptr);
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "INSERT INTO schema_version VALUES (999, '0999_future.sql', 0)",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  EXPECT_EQ(SqliteStore::Open(path).status().code(), StatusCode::kFailedPrecondition);
}

TEST(SqliteStoreTest, DefaultsToWalWithFullSyncAndForeignKeys) {
  std::unique_ptr<SqliteStore> store = MustOpen(TempDir::NewFile());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->PragmaForTest("journal_mode").value(), "wal");
  EXPECT_EQ(store->PragmaForTest("synchronous").value(), "2");  // FULL
  EXPECT_EQ(store->PragmaForTest("foreign_keys").value(), "1");
  EXPECT_EQ(store->PragmaForTest("busy_timeout").value(), "5000");
}

TEST(SqliteStoreTest, SynchronousCanBeLoweredForBenchmarks) {
  SqliteOptions options;
  options.synchronous = SqliteOptions::Synchronous::kNormal;
  std::unique_ptr<SqliteStore> store = MustOpen(TempDir::NewFile(), options);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->PragmaForTest("synchronous").value(), "1");
}

TEST(SqliteStoreTest, CorruptStoredOperationIsAnInternalErrorNotACrash) {
  const std::string path = TempDir::NewFile();
  model::DurableExecution e = FullExecution("a", 1000);
  std::unique_ptr<SqliteStore> store = MustOpen(path);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Create(FirstCommit(e)).ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE operations SET record = x'0102'", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  EXPECT_EQ(store->Load(e.arn).status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace durable::store
