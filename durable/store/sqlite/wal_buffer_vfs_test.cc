#include "durable/store/sqlite/wal_buffer_vfs.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>

#include "durable/store/sqlite/sqlite_test_util.h"

namespace durable::store::sqlite {
namespace {

// A raw connection in WAL mode, through `vfs` (empty: the default VFS).
class Conn {
 public:
  Conn(const std::string& path, const std::string& vfs, const char* synchronous) {
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                              vfs.empty() ? nullptr : vfs.c_str()),
              SQLITE_OK);
    Exec("PRAGMA journal_mode=WAL");
    Exec(std::string("PRAGMA synchronous=") + synchronous);
    Exec("PRAGMA wal_autocheckpoint=0");
  }
  ~Conn() { sqlite3_close_v2(db_); }
  void Exec(const std::string& sql) {
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK)
        << sql << ": " << (err != nullptr ? err : "");
    sqlite3_free(err);
  }
  std::string Text(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
    std::string out;
    if (sqlite3_step(stmt) == SQLITE_ROW) {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      if (p != nullptr) out.assign(p, static_cast<size_t>(sqlite3_column_bytes(stmt, 0)));
    }
    sqlite3_finalize(stmt);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

// Inserts `rows` rows of `bytes` random bytes each in one transaction.
void InsertRows(Conn& c, int first, int rows, int bytes) {
  c.Exec("BEGIN");
  for (int i = first; i < first + rows; ++i) {
    c.Exec("INSERT INTO t VALUES (" + std::to_string(i) + ", randomblob(" +
           std::to_string(bytes) + "))");
  }
  c.Exec("COMMIT");
}

TEST(WalBufferVfsTest, ATransactionReachesTheWalInAFewWritesInsteadOfTwoPerPage) {
  CountingVfs counting;  // the buffering VFS wraps it: it sees what reaches the file system
  auto writes_per_commit = [&](const std::string& vfs) {
    Conn c(TempDir::NewFile(), vfs, "FULL");
    c.Exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)");
    const int before = counting.wal_writes();
    InsertRows(c, 0, 50, 3000);  // ~50 pages
    return counting.wal_writes() - before;
  };
  EXPECT_GT(writes_per_commit(""), 100) << "unbuffered: a header and a page per frame";
  EXPECT_LE(writes_per_commit(WalBufferVfsName()), 3);
}

TEST(WalBufferVfsTest, CommitsWithoutSyncAreInTheFileBeforeOtherConnectionsSeeThem) {
  const std::string path = TempDir::NewFile();
  Conn writer(path, WalBufferVfsName(), "OFF");  // no xSync at commit: the commit frame flushes
  Conn reader(path, "", "FULL");
  writer.Exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)");
  for (int i = 0; i < 20; ++i) {
    InsertRows(writer, i * 10, 10, 2000);
    EXPECT_EQ(reader.Text("SELECT count(*) FROM t"), std::to_string((i + 1) * 10));
    EXPECT_EQ(reader.Text("SELECT sum(length(v)) FROM t"), std::to_string((i + 1) * 10 * 2000));
    reader.Exec("PRAGMA wal_checkpoint(PASSIVE)");  // copies what the reader saw into the file
  }
  EXPECT_EQ(reader.Text("PRAGMA integrity_check"), "ok");
}

TEST(WalBufferVfsTest, LargeAndSpilledTransactionsRoundTrip) {
  const std::string path = TempDir::NewFile();
  {
    Conn c(path, WalBufferVfsName(), "FULL");
    c.Exec("PRAGMA cache_size=20");  // the transactions below spill pages into the WAL and read
                                     // them back before they commit
    c.Exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)");
    InsertRows(c, 0, 2500, 4000);  // ~10 MB: beyond the buffer limit and the write size
    c.Exec("BEGIN");
    c.Exec("UPDATE t SET v = zeroblob(4000) WHERE k % 2 = 0");
    c.Exec("ROLLBACK");
    c.Exec("UPDATE t SET v = zeroblob(10) WHERE k % 5 = 0");
    EXPECT_EQ(c.Text("SELECT count(*) FROM t WHERE length(v) = 4000"), "2000");
  }
  Conn reopened(path, "", "FULL");
  EXPECT_EQ(reopened.Text("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(reopened.Text("SELECT count(*) FROM t WHERE length(v) = 4000"), "2000");
  EXPECT_EQ(reopened.Text("SELECT count(*) FROM t WHERE v = zeroblob(10)"), "500");
}

TEST(WalBufferVfsTest, TheWalGrowsByZeroedChunksAndACrashCopyRecoversEveryCommit) {
  namespace fs = std::filesystem;
  const std::string path = TempDir::NewFile();
  Conn c(path, WalBufferVfsName(), "FULL");
  c.Exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)");
  for (int i = 0; i < 30; ++i) InsertRows(c, i * 10, 10, 1000);
  const uintmax_t wal = fs::file_size(path + "-wal");
  EXPECT_EQ(wal % (1u << 20), 0u) << wal << " bytes: not extended to a whole MiB";
  // What a crash leaves (the connection is still open, its WAL not checkpointed): the copy
  // recovers every committed row and stops at the zeros after the last frame.
  const std::string copy = TempDir::NewFile();
  fs::copy_file(path, copy);
  fs::copy_file(path + "-wal", copy + "-wal");
  InsertRows(c, 300, 10, 1000);  // not in the copy
  Conn recovered(copy, "", "FULL");
  EXPECT_EQ(recovered.Text("SELECT count(*) FROM t"), "300");
  EXPECT_EQ(recovered.Text("PRAGMA integrity_check"), "ok");
}

}  // namespace
}  // namespace durable::store::sqlite
