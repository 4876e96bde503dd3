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
// through it, and the writes to WAL files (calls and bytes). Installed as the default VFS while alive.
class CountingVfs {
 public:
  CountingVfs() : real_(sqlite3_vfs_find(nullptr)) {
    vfs_ = *real_;
    vfs_.zName = "durable-sync-counting";
    vfs_.szOsFile = static_cast<int>(sizeof(File)) + real_->szOsFile;
    vfs_.pAppData = this;
    vfs_.pNext = nullptr;
    vfs_.xOpen = &Open;
    vfs_.xDelete = [](sqlite3_vfs* v, const char* name, int sync) {
      return Real(v)->xDelete(Real(v), name, sync);
    };
    vfs_.xAccess = [](sqlite3_vfs* v, const char* name, int flags, int* out) {
      return Real(v)->xAccess(Real(v), name, flags, out);
    };
    vfs_.xFullPathname = [](sqlite3_vfs* v, const char* name, int n, char* out) {
      return Real(v)->xFullPathname(Real(v), name, n, out);
    };
    vfs_.xDlOpen = nullptr;
    vfs_.xDlError = nullptr;
    vfs_.xDlSym = nullptr;
    vfs_.xDlClose = nullptr;
    vfs_.xRandomness = [](sqlite3_vfs* v, int n, char* out) {
      return Real(v)->xRandomness(Real(v), n, out);
    };
    vfs_.xSleep = [](sqlite3_vfs* v, int us) { return Real(v)->xSleep(Real(v), us); };
    vfs_.xCurrentTime = [](sqlite3_vfs* v, double* t) { return Real(v)->xCurrentTime(Real(v), t); };
    vfs_.xGetLastError = [](sqlite3_vfs* v, int n, char* out) {
      return Real(v)->xGetLastError(Real(v), n, out);
    };
    vfs_.xCurrentTimeInt64 = [](sqlite3_vfs* v, sqlite3_int64* t) {
      return Real(v)->xCurrentTimeInt64(Real(v), t);
    };
    vfs_.iVersion = 2;  // no system-call overrides
    methods_ = {};
    methods_.iVersion = 3;
    methods_.xClose = [](sqlite3_file* f) {
      int rc = Inner(f)->pMethods->xClose(Inner(f));
      f->pMethods = nullptr;
      return rc;
    };
    methods_.xRead = [](sqlite3_file* f, void* p, int n, sqlite3_int64 o) {
      return Inner(f)->pMethods->xRead(Inner(f), p, n, o);
    };
    methods_.xWrite = [](sqlite3_file* f, const void* p, int n, sqlite3_int64 o) {
      File* file = reinterpret_cast<File*>(f);
      if (file->wal) {
        ++file->owner->wal_writes_;
        file->owner->wal_bytes_ += n;
      }
      return Inner(f)->pMethods->xWrite(Inner(f), p, n, o);
    };
    methods_.xTruncate = [](sqlite3_file* f, sqlite3_int64 n) {
      return Inner(f)->pMethods->xTruncate(Inner(f), n);
    };
    methods_.xSync = [](sqlite3_file* f, int flags) {
      ++reinterpret_cast<File*>(f)->owner->syncs_;
      return Inner(f)->pMethods->xSync(Inner(f), flags);
    };
    methods_.xFileSize = [](sqlite3_file* f, sqlite3_int64* n) {
      return Inner(f)->pMethods->xFileSize(Inner(f), n);
    };
    methods_.xLock = [](sqlite3_file* f, int l) { return Inner(f)->pMethods->xLock(Inner(f), l); };
    methods_.xUnlock = [](sqlite3_file* f, int l) {
      return Inner(f)->pMethods->xUnlock(Inner(f), l);
    };
    methods_.xCheckReservedLock = [](sqlite3_file* f, int* out) {
      return Inner(f)->pMethods->xCheckReservedLock(Inner(f), out);
    };
    methods_.xFileControl = [](sqlite3_file* f, int op, void* arg) {
      return Inner(f)->pMethods->xFileControl(Inner(f), op, arg);
    };
    methods_.xSectorSize = [](sqlite3_file* f) {
      return Inner(f)->pMethods->xSectorSize(Inner(f));
    };
    methods_.xDeviceCharacteristics = [](sqlite3_file* f) {
      return Inner(f)->pMethods->xDeviceCharacteristics(Inner(f));
    };
    methods_.xShmMap = [](sqlite3_file* f, int i, int size, int extend, void volatile** p) {
      return Inner(f)->pMethods->xShmMap(Inner(f), i, size, extend, p);
    };
    methods_.xShmLock = [](sqlite3_file* f, int offset, int n, int flags) {
      return Inner(f)->pMethods->xShmLock(Inner(f), offset, n, flags);
    };
    methods_.xShmBarrier = [](sqlite3_file* f) { Inner(f)->pMethods->xShmBarrier(Inner(f)); };
    methods_.xShmUnmap = [](sqlite3_file* f, int del) {
      return Inner(f)->pMethods->xShmUnmap(Inner(f), del);
    };
    methods_.xFetch = [](sqlite3_file* f, sqlite3_int64 o, int n, void** p) {
      return Inner(f)->pMethods->xFetch(Inner(f), o, n, p);
    };
    methods_.xUnfetch = [](sqlite3_file* f, sqlite3_int64 o, void* p) {
      return Inner(f)->pMethods->xUnfetch(Inner(f), o, p);
    };
    sqlite3_vfs_register(&vfs_, /*makeDflt=*/1);
  }
  ~CountingVfs() {
    sqlite3_vfs_unregister(&vfs_);
    sqlite3_vfs_register(real_, /*makeDflt=*/1);
  }
  int syncs() const { return syncs_.load(); }
  int wal_writes() const { return wal_writes_.load(); }
  int64_t wal_bytes() const { return wal_bytes_.load(); }

 private:
  struct File {
    sqlite3_file base;
    CountingVfs* owner;
    bool wal;
  };  // followed by the real VFS's file
  static CountingVfs* Self(sqlite3_vfs* v) { return static_cast<CountingVfs*>(v->pAppData); }
  static sqlite3_vfs* Real(sqlite3_vfs* v) { return Self(v)->real_; }
  static sqlite3_file* Inner(sqlite3_file* f) {
    return reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + sizeof(File));
  }
  static int Open(sqlite3_vfs* v, sqlite3_filename name, sqlite3_file* f, int flags,
                  int* out_flags) {
    File* file = reinterpret_cast<File*>(f);
    file->owner = Self(v);
    file->wal = (flags & SQLITE_OPEN_WAL) != 0;
    file->base.pMethods = nullptr;
    int rc = Real(v)->xOpen(Real(v), name, Inner(f), flags, out_flags);
    if (Inner(f)->pMethods != nullptr) file->base.pMethods = &Self(v)->methods_;
    return rc;
  }

  sqlite3_vfs* real_;
  sqlite3_vfs vfs_;
  sqlite3_io_methods methods_;
  std::atomic<int> syncs_{0};
  std::atomic<int> wal_writes_{0};
  std::atomic<int64_t> wal_bytes_{0};
};

}  // namespace durable::store
