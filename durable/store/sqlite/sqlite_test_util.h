// Test helpers for the SQLite backend: a temporary directory of database files and a VFS that
// counts what reaches the file system.
#pragma once

#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <system_error>

#include <gtest/gtest.h>

#include "durable/base/ids.h"
#include "durable/store/sqlite/forwarding_vfs.h"

namespace durable::store {

// A directory of database files for this test process, removed when the process ends.
class TempDir : public ::testing::Environment {
 public:
  static const std::filesystem::path& Path() {
    static const std::filesystem::path path = [] {
      std::filesystem::path p = std::filesystem::temp_directory_path() /
                   ("durable-store-test-" + std::to_string(getpid()) + "-" + RandomAlnum(6));
      std::filesystem::create_directories(p);
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
    std::filesystem::remove_all(Path(), ignored);
  }
};
// A VFS that forwards to the default one and counts the syncs (fsyncs) of every file opened
// through it, the writes to WAL files (calls and bytes) and the temporary files opened (statement
// journals, temporary databases). Installed as the default VFS while alive.
class CountingVfs : public sqlite::WrappedVfs {
 public:
  CountingVfs() : sqlite::WrappedVfs{sqlite3_vfs_find(nullptr)} {
    vfs_ = sqlite::ForwardingVfs<File>(this, "durable-sync-counting", &Open);
    methods_ = sqlite::ForwardingMethods<File>(3);
    methods_.xWrite = [](sqlite3_file* f, const void* p, int n, sqlite3_int64 o) {
      File* file = reinterpret_cast<File*>(f);
      if (file->wal) {
        ++file->owner->wal_writes_;
        file->owner->wal_bytes_ += n;
      }
      return Inner(f)->pMethods->xWrite(Inner(f), p, n, o);
    };
    methods_.xSync = [](sqlite3_file* f, int flags) {
      ++reinterpret_cast<File*>(f)->owner->syncs_;
      return Inner(f)->pMethods->xSync(Inner(f), flags);
    };
    sqlite3_vfs_register(&vfs_, /*makeDflt=*/1);
  }
  ~CountingVfs() {
    sqlite3_vfs_unregister(&vfs_);
    sqlite3_vfs_register(real, /*makeDflt=*/1);
  }
  int syncs() const { return syncs_.load(); }
  int wal_writes() const { return wal_writes_.load(); }
  int64_t wal_bytes() const { return wal_bytes_.load(); }
  int temp_files() const { return temp_files_.load(); }

 private:
  struct File {
    sqlite3_file base;
    CountingVfs* owner;
    bool wal;
  };  // followed by the real VFS's file
  static sqlite3_file* Inner(sqlite3_file* f) { return sqlite::InnerFile<File>(f); }
  static int Open(sqlite3_vfs* v, sqlite3_filename name, sqlite3_file* f, int flags,
                  int* out_flags) {
    File* file = reinterpret_cast<File*>(f);
    CountingVfs* self = static_cast<CountingVfs*>(static_cast<sqlite::WrappedVfs*>(v->pAppData));
    file->owner = self;
    file->wal = (flags & SQLITE_OPEN_WAL) != 0;
    constexpr int kTemporary = SQLITE_OPEN_SUBJOURNAL | SQLITE_OPEN_TEMP_JOURNAL |
                               SQLITE_OPEN_TEMP_DB | SQLITE_OPEN_TRANSIENT_DB;
    if ((flags & kTemporary) != 0) ++self->temp_files_;
    file->base.pMethods = nullptr;
    int rc = self->real->xOpen(self->real, name, Inner(f), flags, out_flags);
    if (Inner(f)->pMethods != nullptr) file->base.pMethods = &self->methods_;
    return rc;
  }

  sqlite3_vfs vfs_;
  sqlite3_io_methods methods_;
  std::atomic<int> syncs_{0};
  std::atomic<int> wal_writes_{0};
  std::atomic<int64_t> wal_bytes_{0};
  std::atomic<int> temp_files_{0};
};

}  // namespace durable::store
