// A tiny function process for the host tests: speaks the Lambda Runtime API with http::Client.
// Behaviour by handler (_HANDLER):
//   echo       returns {"Status":"SUCCEEDED","Result":<the execution's input payload>}
//   pid        returns the process id as Result (tells processes apart)
//   crash      exit(3) on its first invocation ever (marker file $CRASH_MARKER), then like pid
//   sleep      sleeps $SLEEP_MS (default 10000) before answering like pid
//   error      posts an invocation error {errorType: "TestError", ...}
//   bad-output posts a response that is not JSON
//   env        returns a JSON object of the Lambda environment variables it was given
//   init-error posts an init error and exits
//   exit-at-start exits with status 2 before asking for work
// Each invocation first prints one JSON log line to stdout with the durableExecutionArn.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include "durable/http/http.h"
#include "durable/wire/wire.h"

namespace {

std::string Env(const char* name, const std::string& fallback = "") {
  const char* v = std::getenv(name);
  return v ? v : fallback;
}

std::string InputPayload(const durable::model::InvocationInput& input) {
  const auto& ops = input.initial_execution_state.operations;
  if (ops.empty() || !ops[0].execution_details) return "null";
  return ops[0].execution_details->input_payload.value_or("null");
}

std::string Succeed(std::string result) {
  durable::model::InvocationOutput out;
  out.status = durable::model::InvocationStatus::kSucceeded;
  out.result = std::move(result);
  return durable::wire::SerializeInvocationOutput(out);
}

// Errors are ignored: if the server is gone, the next /next fails and the program exits.
void Post(durable::http::Client& client, const std::string& path, const std::string& body) {
  (void)client.Send("POST", path, body);
}

std::string EnvJson() {
  std::string out = "{";
  for (const char* key :
       {"AWS_LAMBDA_RUNTIME_API", "AWS_ENDPOINT_URL_LAMBDA", "AWS_REGION", "AWS_DEFAULT_REGION",
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_FUNCTION_TIMEOUT", "_HANDLER",
        "LAMBDA_TASK_ROOT", "CUSTOM", "PATH", "PWD_AT_START"}) {
    if (out.size() > 1) out += ",";
    out += "\"" + std::string(key) + "\":\"" + Env(key) + "\"";
  }
  return out + "}";
}

bool FileExists(const std::string& path) { return std::ifstream(path).good(); }

}  // namespace

int main() {
  const std::string handler = Env("_HANDLER");
  const std::string base = "/2018-06-01/runtime";
  durable::http::Client client("http://" + Env("AWS_LAMBDA_RUNTIME_API"));
  if (handler == "exit-at-start") return 2;
  if (handler == "init-error") {
    Post(client, base + "/init/error",
         R"({"errorType":"TestInitError","errorMessage":"init failed on purpose"})");
    std::this_thread::sleep_for(std::chrono::seconds(30));  // the server kills us
    return 1;
  }
  const std::string pid = std::to_string(getpid());
  if (char cwd[4096]; getcwd(cwd, sizeof(cwd)) != nullptr) setenv("PWD_AT_START", cwd, 1);
  while (true) {
    auto next = client.Send("GET", base + "/invocation/next");
    if (!next.ok() || next->status != 200) return 0;
    const std::string id = next->Header("Lambda-Runtime-Aws-Request-Id").value_or("");
    auto input = durable::wire::ParseInvocationInput(next->body);
    if (!input.ok()) return 5;
    std::printf("{\"durableExecutionArn\":\"%s\",\"message\":\"handling %s in %s\"}\n",
                input->durable_execution_arn.c_str(), id.c_str(), handler.c_str());
    std::fflush(stdout);
    const std::string reply = base + "/invocation/" + id + "/response";
    if (handler == "echo") {
      Post(client, reply, Succeed(InputPayload(*input)));
    } else if (handler == "crash" && !FileExists(Env("CRASH_MARKER"))) {
      std::ofstream(Env("CRASH_MARKER")) << pid;
      std::fprintf(stderr, "crashing on purpose\n");
      std::fflush(stderr);
      std::_Exit(3);
    } else if (handler == "sleep") {
      std::this_thread::sleep_for(std::chrono::milliseconds(std::stoi(Env("SLEEP_MS", "10000"))));
      Post(client, reply, Succeed(pid));
    } else if (handler == "error") {
      Post(client, base + "/invocation/" + id + "/error",
           R"({"errorType":"TestError","errorMessage":"failed on purpose",)"
           R"("stackTrace":["at a","at b"]})");
    } else if (handler == "env") {
      Post(client, reply, Succeed(EnvJson()));
    } else if (handler == "bad-output") {
      Post(client, reply, "this is not json");
    } else {
      Post(client, reply, Succeed(pid));
    }
  }
}
