// A thin RAII adapter over one SQLite connection: prepared-statement cache, positional binding,
// column reads and SQLite result codes mapped to Status. The only file that includes sqlite3.h is
// db.cc. Thread-compatible: the caller (SqliteStore) serializes all use with a mutex.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "durable/base/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace durable::store::sqlite {

// A cached prepared statement in use. Binds are positional in call order; the statement is reset
// (and its bindings cleared) when the Query is destroyed, so no read stays open by accident.
class Query {
 public:
  explicit Query(sqlite3_stmt* stmt) : stmt_(stmt) {}
  Query(Query&& other) noexcept : stmt_(other.stmt_), next_(other.next_), bind_rc_(other.bind_rc_) {
    other.stmt_ = nullptr;
  }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  ~Query();

  Query& Bind(int64_t v);
  Query& Bind(std::string_view text);
  Query& Bind(const std::string& text) { return Bind(std::string_view(text)); }
  Query& Bind(std::string&&) = delete;  // bound without copying: the text must outlive Step()
  Query& Bind(const char* text) { return Bind(std::string_view(text)); }
  Query& BindBlob(std::string_view bytes);
  Query& BindNull();
  Query& Bind(const std::optional<std::string>& v) { return v ? Bind(*v) : BindNull(); }
  Query& Bind(std::optional<std::string>&&) = delete;
  Query& Bind(const std::optional<int64_t>& v) { return v ? Bind(*v) : BindNull(); }

  // Advances to the next row: true if there is one, false when done.
  Result<bool> Step();
  // Steps until done (for statements without result rows).
  Status Run();

  bool IsNull(int col) const;
  int64_t Int(int col) const;
  std::string Text(int col) const;
  std::string_view Blob(int col) const;  // valid until the next Step
  std::optional<std::string> OptText(int col) const;
  std::optional<int64_t> OptInt(int col) const;

 private:
  sqlite3_stmt* stmt_;
  int next_ = 1;
  int bind_rc_ = 0;
};

class Db {
 public:
  // Opens (creating if needed) the database file, through the named VFS (empty: the default).
  static Result<std::unique_ptr<Db>> Open(const std::string& path, const std::string& vfs = "");
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Runs one or more statements without parameters.
  Status Exec(const std::string& sql);
  // A cached statement for `sql` (prepared on first use). Looked up without building a string.
  Result<Query> Prepare(std::string_view sql);
  void SetBusyTimeout(int ms);
  int64_t Changes() const;
  // Rows changed by every INSERT/UPDATE/DELETE completed on this connection so far: equal before
  // and after some work means that work wrote nothing.
  int64_t TotalChanges() const;
  // False once a transaction has ended, including when SQLite rolled it back by itself (after
  // an I/O error, a full disk or out of memory).
  bool InTransaction() const;
  // Calls `hook(frames)` after every commit of this connection, with the number of frames in the
  // WAL. Replaces SQLite's automatic checkpoint on this connection.
  void SetWalHook(std::function<void(int frames)> hook);
  // Copies into the database file what the WAL holds and no reader still needs; writers go on
  // meanwhile (SQLITE_CHECKPOINT_PASSIVE). Returns the WAL's frames and how many of them are now
  // in the database file (equal: the next write starts the WAL over).
  struct CheckpointResult {
    int wal_frames = 0;
    int copied_frames = 0;
  };
  Result<CheckpointResult> CheckpointPassive();

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  // Hashed by the SQL text (a tree compared long statements sharing their first words).
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  sqlite3* db_;
  std::function<void(int)> wal_hook_;
  std::unordered_map<std::string, sqlite3_stmt*, TextHash, std::equal_to<>> cache_;
};

// Maps a SQLite result code to a Status: BUSY/LOCKED -> kUnavailable, CONSTRAINT ->
// kFailedPrecondition, anything else -> kInternal.
Status SqliteError(int rc, std::string_view what);

}  // namespace durable::store::sqlite
