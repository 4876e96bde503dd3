// Tests of the notification channels against real local servers: the webhook against the
// project's HTTP server on a free port (incl. failing answers), e-mail against a real SMTP server
// (aiosmtpd, started by the test as a child process), and the log line on stderr.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "durable/approvals/notifier.h"
#include "durable/http/http.h"

extern char** environ;

namespace durable::approvals {
namespace {

using Json = nlohmann::json;

Notification Sample() {
  Notification n;
  n.key = "apr-1/request/0/alice";
  n.approval_id = "apr-1";
  n.kind = "request";
  n.recipient = {"alice", "Alice Example", "alice@example.com"};
  n.subject = "Approval needed: Deploy v2";
  n.text = "Rita asks you to approve \"Deploy v2\".\nline two\n.leading dot line\n";
  n.action_url = "http://127.0.0.1:9700/approvals/links/tok.abc";
  n.data = {{"title", "Deploy v2"}, {"quorum", 1}};
  return n;
}

std::unique_ptr<Notifier> Make(const Json& config) {
  auto r = MakeNotifier(config);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : nullptr;
}

std::string ConfigError(const Json& config) {
  auto r = MakeNotifier(config);
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  return r.status().message();
}

TEST(NotifierConfigTest, RejectsBadConfigNamingTheField) {
  EXPECT_EQ(ConfigError(Json::array()), "notifier config must be a JSON object");
  EXPECT_EQ(ConfigError(Json::object()), "notifier type is required (log, webhook or smtp)");
  EXPECT_EQ(ConfigError({{"type", 3}}), "notifier type must be a string");
  EXPECT_EQ(ConfigError({{"type", "pager"}}),
            "notifier type \"pager\" is unknown (log, webhook or smtp)");
  EXPECT_EQ(ConfigError({{"type", "webhook"}}),
            "webhook notifier url must be an http:// or https:// URL");
  EXPECT_EQ(ConfigError({{"type", "webhook"}, {"url", "ftp://x/y"}}),
            "webhook notifier url must be an http:// or https:// URL");
  EXPECT_EQ(ConfigError({{"type", "webhook"}, {"url", "http://h/"}, {"headers", {{"A", 1}}}}),
            "webhook notifier headers.A must be a string");
  EXPECT_EQ(ConfigError({{"type", "webhook"}, {"url", "http://h/"}, {"timeout_seconds", 0}}),
            "notifier timeout_seconds must be an integer from 1 to 300");
  EXPECT_EQ(ConfigError({{"type", "smtp"}, {"url", "http://h"}, {"from", "a@b"}}),
            "smtp notifier url must be an smtp:// or smtps:// URL");
  EXPECT_EQ(ConfigError({{"type", "smtp"}, {"url", "smtp://h:25"}}),
            "smtp notifier from must be an e-mail address");
  EXPECT_EQ(
      ConfigError({{"type", "smtp"}, {"url", "smtp://h:25"}, {"from", "a@b"}, {"starttls", "yes"}}),
      "smtp notifier starttls must be a boolean");
  EXPECT_EQ(Make({{"type", "log"}})->channel(), "log");
  EXPECT_EQ(Make({{"type", "webhook"}, {"url", "https://hooks.example.com/x"}})->channel(),
            "webhook");
  EXPECT_EQ(Make({{"type", "smtp"}, {"url", "smtp://127.0.0.1:25"}, {"from", "a@b.c"}})->channel(),
            "email");
}

TEST(LogNotifierTest, WritesOneJsonLinePerNotification) {
  auto notifier = Make({{"type", "log"}});
  ::testing::internal::CaptureStderr();
  ASSERT_TRUE(notifier->Deliver(Sample()).ok());
  std::string err = ::testing::internal::GetCapturedStderr();
  ASSERT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  auto brace = err.find('{');
  ASSERT_NE(brace, std::string::npos) << err;
  Json line = Json::parse(err.substr(brace));
  EXPECT_EQ(line["channel"], "log");
  EXPECT_EQ(line["key"], "apr-1/request/0/alice");
  EXPECT_EQ(line["recipient"]["user_id"], "alice");
  EXPECT_EQ(line["action_url"], Sample().action_url);
  EXPECT_EQ(line["data"]["title"], "Deploy v2");
}

// --- webhook ---

class WebhookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    http::ServerOptions o;
    o.port = 0;
    o.worker_threads = 2;
    server_ = std::make_unique<http::Server>(o);
    server_->Route("POST", {"hook"}, [this](const http::Request& req, http::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back(req);
      res.status = 200;
      res.body = "ok";
      res.content_type = "text/plain";
    });
    server_->Route("POST", {"broken"}, [](const http::Request&, http::Response& res) {
      res.status = 500;
      res.body = "{\"error\":\"database down\"}";
    });
    server_->Route("POST", {"redirect"}, [](const http::Request&, http::Response& res) {
      res.status = 302;
      res.headers.emplace("Location", "/hook");
    });
    auto port = server_->Start();
    ASSERT_TRUE(port.ok()) << port.status().ToString();
    base_ = "http://127.0.0.1:" + std::to_string(*port);
  }
  void TearDown() override { server_->Stop(); }

  std::unique_ptr<http::Server> server_;
  std::string base_;
  std::mutex mu_;
  std::vector<http::Request> requests_;
};

TEST_F(WebhookTest, PostsTheNotificationWithSlackText) {
  auto notifier = Make({{"type", "webhook"},
                        {"url", base_ + "/hook?team=ops"},
                        {"headers", {{"Authorization", "Bearer hook-secret"}}}});
  ASSERT_TRUE(notifier->Deliver(Sample()).ok());
  std::lock_guard<std::mutex> lock(mu_);
  ASSERT_EQ(requests_.size(), 1u);
  const auto& req = requests_[0];
  EXPECT_EQ(req.Query("team"), "ops");
  EXPECT_EQ(req.Header("Authorization"), "Bearer hook-secret");
  EXPECT_EQ(req.Header("X-Durable-Notification-Key"), "apr-1/request/0/alice");
  EXPECT_NE(req.Header("Content-Type").value_or("").find("application/json"), std::string::npos);
  Json body = Json::parse(req.body);
  ASSERT_TRUE(body["text"].is_string());
  std::string text = body["text"];
  EXPECT_EQ(text.rfind("Approval needed: Deploy v2\n", 0), 0u) << text;
  EXPECT_NE(text.find(Sample().action_url), std::string::npos) << text;
  EXPECT_EQ(body["approval_id"], "apr-1");
  EXPECT_EQ(body["kind"], "request");
  EXPECT_EQ(body["recipient"]["email"], "alice@example.com");
  EXPECT_EQ(body["action_url"], Sample().action_url);
  EXPECT_EQ(body["data"]["quorum"], 1);
}

TEST_F(WebhookTest, EscapesSlackControlCharactersInText) {
  auto notifier = Make({{"type", "webhook"}, {"url", base_ + "/hook"}});
  Notification n = Sample();
  n.subject = "Approval needed: <!channel> R&D <http://evil.example|click>";
  n.text = "Mallory asks: a > b & <@U123>\n";
  n.action_url = "http://127.0.0.1:9700/approvals/links/tok.abc?a=1&b=2";
  ASSERT_TRUE(notifier->Deliver(n).ok());
  std::lock_guard<std::mutex> lock(mu_);
  ASSERT_EQ(requests_.size(), 1u);
  Json body = Json::parse(requests_[0].body);
  std::string text = body["text"];
  EXPECT_EQ(text.find('<'), std::string::npos) << text;
  EXPECT_EQ(text.find('>'), std::string::npos) << text;
  EXPECT_EQ(
      text.rfind("Approval needed: &lt;!channel&gt; R&amp;D &lt;http://evil.example|click&gt;\n"
                 "Mallory asks: a &gt; b &amp; &lt;@U123&gt;\n",
                 0),
      0u)
      << text;
  EXPECT_NE(text.find("tok.abc?a=1&amp;b=2"), std::string::npos) << text;
  // Every & is the start of one of the three entities (nothing escaped twice, nothing missed).
  for (size_t at = text.find('&'); at != std::string::npos; at = text.find('&', at + 1)) {
    std::string rest = text.substr(at, 5);
    EXPECT_TRUE(rest == "&amp;" || rest.rfind("&lt;", 0) == 0 || rest.rfind("&gt;", 0) == 0)
        << text;
  }
  // The structured fields stay as they are: only the chat text is mrkdwn.
  EXPECT_EQ(body["subject"], n.subject);
  EXPECT_EQ(body["action_url"], n.action_url);
}

TEST_F(WebhookTest, NonSuccessAnswersAreErrors) {
  auto broken = Make({{"type", "webhook"}, {"url", base_ + "/broken"}});
  Status s = broken->Deliver(Sample());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("answered HTTP 500"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("database down"), std::string::npos) << s.message();

  auto redirect = Make({{"type", "webhook"}, {"url", base_ + "/redirect"}});
  s = redirect->Deliver(Sample());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("answered HTTP 302"), std::string::npos) << s.message();

  auto missing = Make({{"type", "webhook"}, {"url", base_ + "/nowhere"}});
  s = missing->Deliver(Sample());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("answered HTTP 404"), std::string::npos) << s.message();
}

TEST_F(WebhookTest, UnreachableServerIsAnError) {
  std::string url = base_ + "/hook";
  server_->Stop();
  auto notifier = Make({{"type", "webhook"}, {"url", url}, {"timeout_seconds", 2}});
  Status s = notifier->Deliver(Sample());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
}

// --- e-mail ---

// A real SMTP server (testdata/smtp_sink.py on aiosmtpd) in a child process.
class SmtpServer {
 public:
  explicit SmtpServer(bool reject_rcpt = false) {
    dir_ = std::filesystem::temp_directory_path() /
           ("durable-smtp-" + std::to_string(::getpid()) + "-" + std::to_string(++count_));
    std::filesystem::create_directories(dir_);
    out_ = (dir_ / "messages.jsonl").string();
    int fds[2];
    if (::pipe(fds) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    std::string python = "/usr/bin/python3";
    std::string script = std::string(DURABLE_APPROVALS_TESTDATA) + "/smtp_sink.py";
    std::vector<std::string> args{python, script, out_};
    if (reject_rcpt) args.push_back("--reject-rcpt");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, python.c_str(), &actions, nullptr, argv.data(), environ) != 0) pid_ = 0;
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    // Wait (at most 15 s) for "PORT <n>".
    std::string line;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (pid_ != 0 && line.find('\n') == std::string::npos &&
           std::chrono::steady_clock::now() < deadline) {
      pollfd p{fds[0], POLLIN, 0};
      if (::poll(&p, 1, 200) <= 0) continue;
      char buf[256];
      ssize_t n = ::read(fds[0], buf, sizeof buf);
      if (n <= 0) break;
      line.append(buf, n);
    }
    ::close(fds[0]);
    if (line.rfind("PORT ", 0) == 0) port_ = std::atoi(line.c_str() + 5);
  }
  ~SmtpServer() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  int port() const { return port_; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

  // The received messages (waits up to 10 s for at least `n`).
  std::vector<Json> Messages(size_t n) const {
    std::vector<Json> out;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    do {
      out.clear();
      std::ifstream in(out_);
      std::string line;
      while (std::getline(in, line)) {
        if (!line.empty()) out.push_back(Json::parse(line));
      }
      if (out.size() >= n) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    } while (std::chrono::steady_clock::now() < deadline);
    return out;
  }

 private:
  static inline int count_ = 0;
  std::filesystem::path dir_;
  std::string out_;
  pid_t pid_ = 0;
  int port_ = 0;
};

#define REQUIRE_SMTP(server)                                                          \
  ASSERT_GT((server).port(), 0) << "the SMTP test server did not start: it needs "    \
                                   "/usr/bin/python3 with python3-aiosmtpd (scripts/" \
                                   "install-deps.sh)"

TEST(SmtpNotifierTest, DeliversPlainTextMailWithTheActionLink) {
  SmtpServer smtp;
  REQUIRE_SMTP(smtp);
  auto notifier = Make({{"type", "smtp"},
                        {"url", smtp.url()},
                        {"from", "approvals@durable.test"},
                        {"from_name", "Durable Approvals"}});
  Notification n = Sample();
  n.subject = "Approval needed: Deploy v2 \xE2\x9C\x93\r\nBcc: evil@example.com";
  Status s = notifier->Deliver(n);
  ASSERT_TRUE(s.ok()) << s.ToString();
  auto messages = smtp.Messages(1);
  ASSERT_EQ(messages.size(), 1u);
  const Json& m = messages[0];
  EXPECT_EQ(m["mail_from"], "approvals@durable.test");
  EXPECT_EQ(m["rcpt_tos"], Json::array({"alice@example.com"}));
  std::string data = m["data"];
  EXPECT_NE(data.find("To: \"Alice Example\" <alice@example.com>"), std::string::npos) << data;
  EXPECT_NE(data.find("From: \"Durable Approvals\" <approvals@durable.test>"), std::string::npos);
  // Non-ASCII subjects are RFC 2047 encoded; line breaks cannot inject headers.
  EXPECT_NE(data.find("Subject: =?UTF-8?B?"), std::string::npos) << data;
  EXPECT_EQ(data.find("\nBcc:"), std::string::npos) << data;
  EXPECT_NE(data.find("Content-Type: text/plain; charset=utf-8"), std::string::npos);
  EXPECT_NE(data.find("X-Durable-Approval: apr-1"), std::string::npos);
  EXPECT_NE(data.find("Decide here: " + n.action_url), std::string::npos) << data;
  EXPECT_NE(data.find("\r\n.leading dot line\r\n"), std::string::npos) << data;  // un-stuffed
}

TEST(SmtpNotifierTest, AsciiSubjectAndLinkAlreadyInTheText) {
  SmtpServer smtp;
  REQUIRE_SMTP(smtp);
  auto notifier = Make({{"type", "smtp"}, {"url", smtp.url()}, {"from", "a@durable.test"}});
  Notification n = Sample();
  n.text = "Open " + n.action_url + " to decide.";
  n.subject = "Approval needed: Deploy v2\r\nBcc: evil@example.com";
  ASSERT_TRUE(notifier->Deliver(n).ok());
  auto messages = smtp.Messages(1);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0]["rcpt_tos"], Json::array({"alice@example.com"}));
  std::string data = messages[0]["data"];
  EXPECT_NE(data.find("Subject: Approval needed: Deploy v2  Bcc: evil@example.com\r\n"),
            std::string::npos)
      << data;
  EXPECT_EQ(data.find("\nBcc:"), std::string::npos) << data;
  EXPECT_NE(data.find("Open " + n.action_url + " to decide."), std::string::npos);
  EXPECT_EQ(data.find("Decide here:"), std::string::npos);  // not repeated
}

TEST(SmtpNotifierTest, RefusedRecipientIsAnError) {
  SmtpServer smtp(/*reject_rcpt=*/true);
  REQUIRE_SMTP(smtp);
  auto notifier = Make({{"type", "smtp"}, {"url", smtp.url()}, {"from", "a@durable.test"}});
  Status s = notifier->Deliver(Sample());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("alice@example.com"), std::string::npos) << s.message();
  EXPECT_TRUE(smtp.Messages(0).empty());
}

TEST(SmtpNotifierTest, UnreachableServerIsAnError) {
  int port = 0;
  {
    SmtpServer smtp;
    REQUIRE_SMTP(smtp);
    port = smtp.port();
  }  // stopped
  auto notifier = Make({{"type", "smtp"},
                        {"url", "smtp://127.0.0.1:" + std::to_string(port)},
                        {"from", "a@durable.test"},
                        {"timeout_seconds", 3}});
  Status s = notifier->Deliver(Sample());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
}

TEST(SmtpNotifierTest, RecipientWithoutAddressIsSkipped) {
  // No server needed: nothing is sent.
  auto notifier =
      Make({{"type", "smtp"}, {"url", "smtp://127.0.0.1:1"}, {"from", "a@durable.test"}});
  Notification n = Sample();
  n.recipient.email = "";
  EXPECT_TRUE(notifier->Deliver(n).ok());
  n.recipient.email = "bad address\r\nRCPT TO:<x@y>";
  Status s = notifier->Deliver(n);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace durable::approvals
