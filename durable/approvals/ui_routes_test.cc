// The web UI routes over a real HTTP server: content types, index, redirect, 404s, traversal.
#include "durable/approvals/ui_routes.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace durable::approvals {
namespace {

class UiRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    http::ServerOptions o;
    o.port = 0;
    o.worker_threads = 2;
    server_ = std::make_unique<http::Server>(o);
    RegisterUiRoutes(*server_);
    auto port = server_->Start();
    ASSERT_TRUE(port.ok()) << port.status().ToString();
    client_ = std::make_unique<http::Client>("http://127.0.0.1:" + std::to_string(*port));
  }
  void TearDown() override {
    client_.reset();
    server_->Stop();
  }
  http::ClientResponse Get(const std::string& path) {
    auto r = client_->Send("GET", path);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : http::ClientResponse{};
  }
  void ExpectNotFound(const std::string& path) {
    http::ClientResponse r = Get(path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.Header("X-Amzn-ErrorType").value_or(""), "ResourceNotFoundException") << path;
    EXPECT_NE(r.body.find("\"Message\""), std::string::npos) << path;
  }

  std::unique_ptr<http::Server> server_;
  std::unique_ptr<http::Client> client_;
};

TEST(UiFilesTest, TheUiIsEmbeddedSortedAndHasAnIndex) {
  const auto& files = EmbeddedUiFiles();
  ASSERT_FALSE(files.empty());
  for (size_t i = 1; i < files.size(); ++i) EXPECT_LT(files[i - 1].path, files[i].path);
  bool index = false;
  for (const UiFile& f : files) {
    EXPECT_FALSE(f.body.empty()) << f.path;
    EXPECT_NE(UiContentType(f.path), "application/octet-stream") << f.path;
    index = index || f.path == "index.html";
  }
  EXPECT_TRUE(index);
}

TEST(UiFilesTest, ContentTypesByExtension) {
  EXPECT_EQ(UiContentType("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(UiContentType("css/app.css"), "text/css; charset=utf-8");
  EXPECT_EQ(UiContentType("js/app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(UiContentType("logo.svg"), "image/svg+xml");
  EXPECT_EQ(UiContentType("data.bin"), "application/octet-stream");
}

TEST_F(UiRoutesTest, SlashUiServesTheIndex) {
  http::ClientResponse r = Get("/ui/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("Content-Type").value_or(""), "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("<!doctype html>"), std::string::npos);
  EXPECT_NE(r.Header("Content-Security-Policy").value_or("").find("default-src 'self'"),
            std::string::npos);
  EXPECT_EQ(r.Header("X-Content-Type-Options").value_or(""), "nosniff");
  EXPECT_EQ(Get("/ui/index.html").body, r.body);
}

TEST_F(UiRoutesTest, UiWithoutSlashRedirects) {
  http::ClientResponse r = Get("/ui");
  EXPECT_EQ(r.status, 301);
  EXPECT_EQ(r.Header("Location").value_or(""), "/ui/");
}

TEST_F(UiRoutesTest, EveryEmbeddedFileIsServedWithItsContentType) {
  for (const UiFile& f : EmbeddedUiFiles()) {
    http::ClientResponse r = Get("/ui/" + std::string(f.path));
    EXPECT_EQ(r.status, 200) << f.path;
    EXPECT_EQ(r.Header("Content-Type").value_or(""), UiContentType(f.path)) << f.path;
    EXPECT_EQ(r.body, f.body) << f.path;
  }
}

TEST_F(UiRoutesTest, UnknownFilesAre404) {
  ExpectNotFound("/ui/nope.js");
  ExpectNotFound("/ui/index.html/extra");
  ExpectNotFound("/ui/CMakeLists.txt");
  ExpectNotFound("/ui/ui_embed.cc.in");
}

TEST_F(UiRoutesTest, TraversalIsRejected) {
  ExpectNotFound("/ui/../ui/index.html");
  ExpectNotFound("/ui/%2e%2e/ui_routes.cc");
  ExpectNotFound("/ui/./index.html");
  ExpectNotFound("/ui//index.html");
  ExpectNotFound("/ui/js%2f..%2findex.html");
  ExpectNotFound("/ui/..%5cindex.html");
}

TEST_F(UiRoutesTest, OnlyGet) {
  auto r = client_->Send("POST", "/ui/", "{}");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 404);
}

}  // namespace
}  // namespace durable::approvals
