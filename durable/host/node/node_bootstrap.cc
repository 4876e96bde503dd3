#include "durable/host/node/node_bootstrap.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <system_error>

#include "durable/base/ids.h"

namespace durable::host {
namespace {

std::filesystem::path& WrittenDir() {
  static std::filesystem::path dir;
  return dir;
}

void RemoveWrittenDir() {
  std::error_code ignored;
  if (!WrittenDir().empty()) std::filesystem::remove_all(WrittenDir(), ignored);
}

Result<std::string> WriteBootstrap() {
  std::error_code ec;
  std::filesystem::path tmp = std::filesystem::temp_directory_path(ec);
  if (ec) return Internal("no temp directory for the Node.js bootstrap: " + ec.message());
  std::filesystem::path dir = tmp / ("durable-node-" + RandomAlnum(12));
  std::filesystem::create_directories(dir, ec);
  if (ec) return Internal("cannot create " + dir.string() + ": " + ec.message());
  WrittenDir() = dir;
  std::atexit(RemoveWrittenDir);
  // .mjs: node runs it as an ES module whatever package.json sits near it.
  std::filesystem::path file = dir / "bootstrap.mjs";
  std::ofstream out(file, std::ios::binary);
  std::string_view source = NodeBootstrapSource();
  out.write(source.data(), static_cast<std::streamsize>(source.size()));
  out.close();
  if (!out) return Internal("cannot write " + file.string());
  return file.string();
}

}  // namespace

Result<std::string> NodeBootstrapPath() {
  static std::once_flag once;
  static Result<std::string> path = Internal("unset");
  std::call_once(once, [] { path = WriteBootstrap(); });
  return path;
}

}  // namespace durable::host
