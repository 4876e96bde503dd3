// Building blocks of a SQLite VFS that wraps another one: each of its files is a `File` struct
// (whose first member is the sqlite3_file base) followed by the wrapped VFS's file, and every
// method it does not replace forwards to the wrapped VFS or file. Used by the WAL-buffering VFS
// and by the tests' counting VFS.
#pragma once

#include <sqlite3.h>

#include <cstddef>

namespace durable::store::sqlite {

// What a wrapping VFS's pAppData points at (first, if it is part of a larger object).
struct WrappedVfs {
  sqlite3_vfs* real;
};

inline sqlite3_vfs* RealVfs(sqlite3_vfs* v) { return static_cast<WrappedVfs*>(v->pAppData)->real; }

// The wrapped file, which follows the `File` struct of the wrapper's file.
template <typename File>
sqlite3_file* InnerFile(sqlite3_file* f) {
  return reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + sizeof(File));
}

// A VFS named `name` whose files are a `File` followed by `app->real`'s, opened by `open`; every
// other method forwards to `app->real` (no system-call overrides). Register it afterwards.
template <typename File>
sqlite3_vfs ForwardingVfs(WrappedVfs* app, const char* name,
                          int (*open)(sqlite3_vfs*, sqlite3_filename, sqlite3_file*, int, int*)) {
  sqlite3_vfs vfs = *app->real;
  vfs.iVersion = 2;
  vfs.szOsFile = static_cast<int>(sizeof(File)) + app->real->szOsFile;
  vfs.zName = name;
  vfs.pAppData = app;
  vfs.pNext = nullptr;
  vfs.xOpen = open;
  vfs.xDelete = [](sqlite3_vfs* v, const char* n, int sync) {
    return RealVfs(v)->xDelete(RealVfs(v), n, sync);
  };
  vfs.xAccess = [](sqlite3_vfs* v, const char* n, int flags, int* out) {
    return RealVfs(v)->xAccess(RealVfs(v), n, flags, out);
  };
  vfs.xFullPathname = [](sqlite3_vfs* v, const char* n, int size, char* out) {
    return RealVfs(v)->xFullPathname(RealVfs(v), n, size, out);
  };
  vfs.xDlOpen = nullptr;
  vfs.xDlError = nullptr;
  vfs.xDlSym = nullptr;
  vfs.xDlClose = nullptr;
  vfs.xRandomness = [](sqlite3_vfs* v, int n, char* out) {
    return RealVfs(v)->xRandomness(RealVfs(v), n, out);
  };
  vfs.xSleep = [](sqlite3_vfs* v, int us) { return RealVfs(v)->xSleep(RealVfs(v), us); };
  vfs.xCurrentTime = [](sqlite3_vfs* v, double* t) {
    return RealVfs(v)->xCurrentTime(RealVfs(v), t);
  };
  vfs.xGetLastError = [](sqlite3_vfs* v, int n, char* out) {
    return RealVfs(v)->xGetLastError(RealVfs(v), n, out);
  };
  vfs.xCurrentTimeInt64 = [](sqlite3_vfs* v, sqlite3_int64* t) {
    return RealVfs(v)->xCurrentTimeInt64(RealVfs(v), t);
  };
  return vfs;
}

// File methods (of `version`, at most 3) that all forward to the wrapped file; the wrapper then
// replaces those it changes.
template <typename File>
sqlite3_io_methods ForwardingMethods(int version) {
  sqlite3_io_methods m = {};
  m.iVersion = version < 3 ? version : 3;
  m.xClose = [](sqlite3_file* f) {
    int rc = InnerFile<File>(f)->pMethods->xClose(InnerFile<File>(f));
    f->pMethods = nullptr;
    return rc;
  };
  m.xRead = [](sqlite3_file* f, void* p, int n, sqlite3_int64 o) {
    return InnerFile<File>(f)->pMethods->xRead(InnerFile<File>(f), p, n, o);
  };
  m.xWrite = [](sqlite3_file* f, const void* p, int n, sqlite3_int64 o) {
    return InnerFile<File>(f)->pMethods->xWrite(InnerFile<File>(f), p, n, o);
  };
  m.xTruncate = [](sqlite3_file* f, sqlite3_int64 n) {
    return InnerFile<File>(f)->pMethods->xTruncate(InnerFile<File>(f), n);
  };
  m.xSync = [](sqlite3_file* f, int flags) {
    return InnerFile<File>(f)->pMethods->xSync(InnerFile<File>(f), flags);
  };
  m.xFileSize = [](sqlite3_file* f, sqlite3_int64* n) {
    return InnerFile<File>(f)->pMethods->xFileSize(InnerFile<File>(f), n);
  };
  m.xLock = [](sqlite3_file* f, int l) {
    return InnerFile<File>(f)->pMethods->xLock(InnerFile<File>(f), l);
  };
  m.xUnlock = [](sqlite3_file* f, int l) {
    return InnerFile<File>(f)->pMethods->xUnlock(InnerFile<File>(f), l);
  };
  m.xCheckReservedLock = [](sqlite3_file* f, int* out) {
    return InnerFile<File>(f)->pMethods->xCheckReservedLock(InnerFile<File>(f), out);
  };
  m.xFileControl = [](sqlite3_file* f, int op, void* arg) {
    return InnerFile<File>(f)->pMethods->xFileControl(InnerFile<File>(f), op, arg);
  };
  m.xSectorSize = [](sqlite3_file* f) {
    return InnerFile<File>(f)->pMethods->xSectorSize(InnerFile<File>(f));
  };
  m.xDeviceCharacteristics = [](sqlite3_file* f) {
    return InnerFile<File>(f)->pMethods->xDeviceCharacteristics(InnerFile<File>(f));
  };
  if (m.iVersion >= 2) {
    m.xShmMap = [](sqlite3_file* f, int i, int size, int extend, void volatile** p) {
      return InnerFile<File>(f)->pMethods->xShmMap(InnerFile<File>(f), i, size, extend, p);
    };
    m.xShmLock = [](sqlite3_file* f, int offset, int n, int flags) {
      return InnerFile<File>(f)->pMethods->xShmLock(InnerFile<File>(f), offset, n, flags);
    };
    m.xShmBarrier = [](sqlite3_file* f) {
      InnerFile<File>(f)->pMethods->xShmBarrier(InnerFile<File>(f));
    };
    m.xShmUnmap = [](sqlite3_file* f, int del) {
      return InnerFile<File>(f)->pMethods->xShmUnmap(InnerFile<File>(f), del);
    };
  }
  if (m.iVersion >= 3) {
    m.xFetch = [](sqlite3_file* f, sqlite3_int64 o, int n, void** p) {
      return InnerFile<File>(f)->pMethods->xFetch(InnerFile<File>(f), o, n, p);
    };
    m.xUnfetch = [](sqlite3_file* f, sqlite3_int64 o, void* p) {
      return InnerFile<File>(f)->pMethods->xUnfetch(InnerFile<File>(f), o, p);
    };
  }
  return m;
}

}  // namespace durable::store::sqlite
