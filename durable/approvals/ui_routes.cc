// Serves the embedded approvals UI at /ui/ (see ui_routes.h). Thread-safe.
#include "durable/approvals/ui_routes.h"

#include <algorithm>
#include <string>

namespace durable::approvals {
namespace {

void NotFound(http::Response& rs) {
  http::WriteAwsError(rs, 404, "ResourceNotFoundException", "No such file in the web UI.");
}

const UiFile* FindFile(std::string_view path) {
  const auto& files = EmbeddedUiFiles();
  auto it = std::lower_bound(files.begin(), files.end(), path,
                             [](const UiFile& f, std::string_view p) { return f.path < p; });
  return it != files.end() && it->path == path ? &*it : nullptr;
}

// The path under /ui/ as the segments after "ui", or "" when a segment is empty, "." or ".."
// (which no embedded file name has: they can only be attempts to leave the folder).
std::string RelativePath(const http::Request& rq) {
  std::string path;
  for (size_t i = 1; i < rq.segments.size(); ++i) {
    const std::string& s = rq.segments[i];
    if (s.empty() || s == "." || s == ".." || s.find('/') != std::string::npos ||
        s.find('\\') != std::string::npos) {
      return "";
    }
    if (!path.empty()) path += '/';
    path += s;
  }
  return path;
}

void Serve(const http::Request& rq, http::Response& rs) {
  if (rq.raw_path == "/ui") {
    rs.status = 301;
    rs.headers.emplace("Location", "/ui/");
    rs.content_type = "text/plain; charset=utf-8";
    rs.body = "Moved to /ui/\n";
    return;
  }
  std::string path = rq.segments.size() == 1 ? "index.html" : RelativePath(rq);
  const UiFile* file = path.empty() ? nullptr : FindFile(path);
  if (file == nullptr) return NotFound(rs);
  rs.status = 200;
  rs.content_type = std::string(UiContentType(file->path));
  rs.body = std::string(file->body);
  // The UI talks only to this server and renders data as text: keep it that way.
  rs.headers.emplace("Content-Security-Policy",
                     "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                     "base-uri 'none'; frame-ancestors 'none'");
  rs.headers.emplace("X-Content-Type-Options", "nosniff");
  rs.headers.emplace("Referrer-Policy", "no-referrer");
  rs.headers.emplace("Cache-Control", "no-cache");
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::string_view UiContentType(std::string_view path) {
  if (EndsWith(path, ".html")) return "text/html; charset=utf-8";
  if (EndsWith(path, ".css")) return "text/css; charset=utf-8";
  if (EndsWith(path, ".js")) return "text/javascript; charset=utf-8";
  if (EndsWith(path, ".svg")) return "image/svg+xml";
  return "application/octet-stream";
}

void RegisterUiRoutes(http::Server& server) { server.Route("GET", {"ui"}, Serve); }

}  // namespace durable::approvals
