// The notification channels (notifier.h): log (one JSON line per notification in the server log),
// webhook (JSON POST with a Slack-compatible top-level `text`; any non-2xx answer is an error) and
// e-mail over SMTP through libcurl (plain text with the action link). Every notifier keeps only
// its immutable configuration and opens a fresh connection per delivery, so all are thread-safe.
#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <ctime>
#include <mutex>
#include <random>

#include "durable/approvals/notifier.h"
#include "durable/base/ids.h"
#include "durable/base/log.h"
#include "durable/http/http.h"

namespace durable::approvals {
namespace {

using Json = nlohmann::json;

Json NotificationJson(const Notification& n) {
  return Json{{"key", n.key},
              {"approval_id", n.approval_id},
              {"kind", n.kind},
              {"recipient",
               {{"user_id", n.recipient.user_id},
                {"name", n.recipient.name},
                {"email", n.recipient.email}}},
              {"subject", n.subject},
              {"text", n.text},
              {"action_url", n.action_url},
              {"data", n.data.is_null() ? Json::object() : n.data}};
}

// The plain text of a notification, with the action link appended unless the text has it.
std::string PlainText(const Notification& n) {
  std::string text = n.text;
  if (!n.action_url.empty() && text.find(n.action_url) == std::string::npos) {
    if (!text.empty() && text.back() != '\n') text += "\n";
    text += "\nDecide here: " + n.action_url + "\n";
  }
  return text;
}

// --- log ---

class LogNotifier final : public Notifier {
 public:
  std::string channel() const override { return "log"; }
  Status Deliver(const Notification& n) override {
    Json line = NotificationJson(n);
    line["channel"] = "log";
    log::Info("{}", line.dump(-1, ' ', false, Json::error_handler_t::replace));
    return Status::Ok();
  }
};

// --- webhook ---

// Slack's mrkdwn treats &, < and > as control characters (<url|label>, <@user>, <!channel>): user
// text (a title, a comment) must not be able to mention people or forge links, so they are
// escaped as Slack documents (&amp; &lt; &gt;); Slack shows the original characters.
std::string EscapeSlackText(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

struct UrlParts {
  std::string base;  // scheme://host[:port]
  std::string path;  // path and query, at least "/"
};

std::optional<UrlParts> SplitUrl(const std::string& url, const std::vector<std::string>& schemes) {
  auto sep = url.find("://");
  if (sep == std::string::npos) return std::nullopt;
  std::string scheme = url.substr(0, sep);
  if (std::find(schemes.begin(), schemes.end(), scheme) == schemes.end()) return std::nullopt;
  auto slash = url.find('/', sep + 3);
  UrlParts p;
  p.base = url.substr(0, slash);
  p.path = slash == std::string::npos ? "/" : url.substr(slash);
  if (p.base.size() <= sep + 3) return std::nullopt;  // no host
  return p;
}

class WebhookNotifier final : public Notifier {
 public:
  WebhookNotifier(UrlParts url, http::Headers headers, std::chrono::milliseconds timeout)
      : url_(std::move(url)), headers_(std::move(headers)), timeout_(timeout) {}

  std::string channel() const override { return "webhook"; }

  Status Deliver(const Notification& n) override {
    Json body = NotificationJson(n);
    // Slack (and compatible chat webhooks) display the top-level `text`.
    std::string text = n.subject;
    std::string plain = PlainText(n);
    if (!plain.empty()) text += (text.empty() ? "" : "\n") + plain;
    body["text"] = EscapeSlackText(text);
    http::Headers headers = headers_;
    headers.emplace("X-Durable-Notification-Key", n.key);
    http::Client client(url_.base);
    client.SetTimeout(timeout_);
    auto r = client.Send("POST", url_.path,
                         body.dump(-1, ' ', false, Json::error_handler_t::replace), headers);
    if (!r.ok()) {
      return Unavailable("webhook " + url_.base + url_.path + " failed: " + r.status().message());
    }
    if (r->status < 200 || r->status > 299) {
      std::string snippet = r->body.substr(0, 200);
      return Unavailable("webhook " + url_.base + url_.path + " answered HTTP " +
                         std::to_string(r->status) + (snippet.empty() ? "" : ": " + snippet));
    }
    return Status::Ok();
  }

 private:
  UrlParts url_;
  http::Headers headers_;
  std::chrono::milliseconds timeout_;
};

// --- SMTP ---

// Header values must not carry line breaks (header injection); they become spaces.
std::string HeaderSafe(std::string s) {
  for (char& c : s) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return s;
}

// RFC 2047 encoded-word for non-ASCII header text; ASCII stays as it is.
std::string EncodeHeaderText(const std::string& s) {
  bool ascii = std::all_of(s.begin(), s.end(), [](char c) { return uint8_t(c) < 0x80; });
  if (ascii) return s;
  return "=?UTF-8?B?" + Base64Encode(s) + "?=";
}

// "Name <addr>" with the name quoted (or encoded) as needed.
std::string Mailbox(const std::string& name, const std::string& address) {
  std::string n = HeaderSafe(name);
  if (n.empty()) return "<" + address + ">";
  bool ascii = std::all_of(n.begin(), n.end(), [](char c) { return uint8_t(c) < 0x80; });
  if (!ascii) return EncodeHeaderText(n) + " <" + address + ">";
  std::string quoted;
  for (char c : n) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return "\"" + quoted + "\" <" + address + ">";
}

// Lines end with CRLF on the wire; libcurl does the SMTP dot-stuffing.
std::string Crlf(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) out += '\r';
    out += s[i];
  }
  return out;
}

std::string RfcDate() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

bool ValidAddress(const std::string& a) {
  if (a.empty() || a.find('@') == std::string::npos) return false;
  for (char c : a) {
    if (c == '<' || c == '>' || c == '\r' || c == '\n' || c == ' ' || c == ',') return false;
  }
  return true;
}

struct UploadState {
  std::string data;
  size_t pos = 0;
};

size_t ReadPayload(char* buffer, size_t size, size_t nitems, void* userdata) {
  auto* up = static_cast<UploadState*>(userdata);
  size_t n = std::min(size * nitems, up->data.size() - up->pos);
  std::memcpy(buffer, up->data.data() + up->pos, n);
  up->pos += n;
  return n;
}

class SmtpNotifier final : public Notifier {
 public:
  struct Options {
    std::string url;  // smtp://host:port or smtps://host:port
    std::string from;
    std::string from_name;
    std::string username;
    std::string password;
    bool starttls = false;
    long timeout_seconds = 30;
  };
  explicit SmtpNotifier(Options options) : o_(std::move(options)) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }

  std::string channel() const override { return "email"; }

  Status Deliver(const Notification& n) override {
    if (n.recipient.email.empty()) return Status::Ok();  // no address: nothing to send
    if (!ValidAddress(n.recipient.email)) {
      return InvalidArgument("invalid e-mail address for " + n.recipient.user_id + ": " +
                             n.recipient.email);
    }
    UploadState up;
    up.data = Message(n);

    CURL* curl = curl_easy_init();
    if (curl == nullptr) return Internal("cannot initialize libcurl");
    char error[CURL_ERROR_SIZE] = {0};
    std::string mail_from = "<" + o_.from + ">";
    std::string rcpt = "<" + n.recipient.email + ">";
    curl_slist* recipients = curl_slist_append(nullptr, rcpt.c_str());
    curl_easy_setopt(curl, CURLOPT_URL, o_.url.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, mail_from.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadPayload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &up);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, std::min(10L, o_.timeout_seconds));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, o_.timeout_seconds);
    if (!o_.username.empty()) {
      curl_easy_setopt(curl, CURLOPT_USERNAME, o_.username.c_str());
      curl_easy_setopt(curl, CURLOPT_PASSWORD, o_.password.c_str());
    }
    if (o_.starttls) curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    CURLcode rc = curl_easy_perform(curl);
    curl_slist_free_all(recipients);
    curl_easy_cleanup(curl);
    if (rc != CURLE_OK) {
      std::string detail = error[0] != '\0' ? error : curl_easy_strerror(rc);
      return Unavailable("e-mail to " + n.recipient.email + " failed: " + detail);
    }
    return Status::Ok();
  }

 private:
  std::string Message(const Notification& n) const {
    static std::atomic<uint64_t> seq{0};
    std::random_device rd;
    std::string domain = o_.from.substr(o_.from.find('@') + 1);
    std::string message_id = "<" + std::to_string(std::time(nullptr)) + "." + std::to_string(rd()) +
                             "." + std::to_string(++seq) + "@" + domain + ">";
    std::string m;
    m += "Date: " + RfcDate() + "\r\n";
    m += "From: " + Mailbox(o_.from_name, o_.from) + "\r\n";
    m += "To: " + Mailbox(n.recipient.name, n.recipient.email) + "\r\n";
    m += "Subject: " + EncodeHeaderText(HeaderSafe(n.subject)) + "\r\n";
    m += "Message-ID: " + message_id + "\r\n";
    m += "X-Durable-Approval: " + HeaderSafe(n.approval_id) + "\r\n";
    m += "X-Durable-Notification-Key: " + HeaderSafe(n.key) + "\r\n";
    m += "MIME-Version: 1.0\r\n";
    m += "Content-Type: text/plain; charset=utf-8\r\n";
    m += "Content-Transfer-Encoding: 8bit\r\n";
    m += "\r\n";
    m += Crlf(PlainText(n));
    if (m.size() < 2 || m.substr(m.size() - 2) != "\r\n") m += "\r\n";
    return m;
  }

  Options o_;
};

// --- config ---

Status OptString(const Json& config, const char* key, std::string* out) {
  auto it = config.find(key);
  if (it == config.end() || it->is_null()) return Status::Ok();
  if (!it->is_string())
    return InvalidArgument(std::string("notifier ") + key + " must be a string");
  *out = it->get<std::string>();
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Notifier>> MakeNotifier(const nlohmann::json& config) {
  if (!config.is_object()) return InvalidArgument("notifier config must be a JSON object");
  std::string type;
  Status s = OptString(config, "type", &type);
  if (!s.ok()) return s;
  if (type.empty()) return InvalidArgument("notifier type is required (log, webhook or smtp)");

  if (type == "log") return std::unique_ptr<Notifier>(std::make_unique<LogNotifier>());

  std::string url;
  if (!(s = OptString(config, "url", &url)).ok()) return s;
  int64_t timeout_seconds = type == "smtp" ? 30 : 10;
  if (auto it = config.find("timeout_seconds"); it != config.end() && !it->is_null()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 1 || it->get<int64_t>() > 300) {
      return InvalidArgument("notifier timeout_seconds must be an integer from 1 to 300");
    }
    timeout_seconds = it->get<int64_t>();
  }

  if (type == "webhook") {
    auto parts = SplitUrl(url, {"http", "https"});
    if (!parts) return InvalidArgument("webhook notifier url must be an http:// or https:// URL");
    http::Headers headers;
    if (auto it = config.find("headers"); it != config.end() && !it->is_null()) {
      if (!it->is_object()) return InvalidArgument("webhook notifier headers must be an object");
      for (const auto& [k, v] : it->items()) {
        if (!v.is_string()) {
          return InvalidArgument("webhook notifier headers." + k + " must be a string");
        }
        headers.emplace(k, HeaderSafe(v.get<std::string>()));
      }
    }
    return std::unique_ptr<Notifier>(std::make_unique<WebhookNotifier>(
        std::move(*parts), std::move(headers), std::chrono::seconds(timeout_seconds)));
  }

  if (type == "smtp") {
    SmtpNotifier::Options o;
    o.url = url;
    if (!SplitUrl(url, {"smtp", "smtps"})) {
      return InvalidArgument("smtp notifier url must be an smtp:// or smtps:// URL");
    }
    if (!(s = OptString(config, "from", &o.from)).ok()) return s;
    if (!ValidAddress(o.from))
      return InvalidArgument("smtp notifier from must be an e-mail address");
    if (!(s = OptString(config, "from_name", &o.from_name)).ok()) return s;
    if (!(s = OptString(config, "username", &o.username)).ok()) return s;
    if (!(s = OptString(config, "password", &o.password)).ok()) return s;
    if (auto it = config.find("starttls"); it != config.end() && !it->is_null()) {
      if (!it->is_boolean()) return InvalidArgument("smtp notifier starttls must be a boolean");
      o.starttls = it->get<bool>();
    }
    o.timeout_seconds = static_cast<long>(timeout_seconds);
    return std::unique_ptr<Notifier>(std::make_unique<SmtpNotifier>(std::move(o)));
  }
  return InvalidArgument("notifier type \"" + type + "\" is unknown (log, webhook or smtp)");
}

}  // namespace durable::approvals
