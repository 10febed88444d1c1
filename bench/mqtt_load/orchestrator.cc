#include "orchestrator.h"

#include <fmt/format.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json/serialize.hpp>

#include <cerrno>
#include <cstdio>
#include <functional>
#include <iostream>
#include <string>
#include <thread>

#include "hearth/core/json.h"
#include "load_run.h"
#include "report.h"
#include "worker.h"

namespace hearth::bench {

namespace json = boost::json;

namespace {

// Delay between the parent's go and the load starting, so every child has read it by then.
constexpr int64_t kGoLeadNs = 100'000'000;

void writeLine(int fd, const std::string& line) {
  std::string s = line + "\n";
  size_t done = 0;
  while (done < s.size()) {
    const ssize_t n = ::write(fd, s.data() + done, s.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

// The child side: "ready" on stdout, then "go <ns>" on stdin.
class ChildSync final : public PhaseSync {
 public:
  int64_t readyAndWaitGo(const SetupSummary& s) override {
    json::object o;
    o["phase"] = "ready";
    o["clients"] = s.clients;
    o["ready"] = s.ready;
    writeLine(STDOUT_FILENO, json::serialize(o));
    std::string line;
    if (!std::getline(std::cin, line) || line.rfind("go ", 0) != 0) {
      std::fprintf(stderr, "hearth-mqtt-load: child: parent went away\n");
      return sim::steadyNowNs();
    }
    return std::stoll(line.substr(3));
  }
};

// Single process: what the parent does between set-up and load is called directly.
class InProcessSync final : public PhaseSync {
 public:
  explicit InProcessSync(std::function<void(const SetupSummary&)> between) : between_(std::move(between)) {}
  int64_t readyAndWaitGo(const SetupSummary& s) override {
    between_(s);
    return sim::steadyNowNs();
  }

 private:
  std::function<void(const SetupSummary&)> between_;
};

struct Child {
  pid_t pid = -1;
  int to_child = -1;
  int from_child = -1;
  std::string buffer;
  bool ready = false;
  bool done = false;
  ProcessResult result;
};

// Reads whatever the children wrote; calls on_line for each complete line. Returns false when a
// child's output ended before it reported a result.
bool pumpChildren(std::vector<Child>& children, const std::function<void(Child&, const json::object&)>& on_line) {
  std::vector<pollfd> fds;
  for (auto& c : children) fds.push_back({c.done ? -1 : c.from_child, POLLIN, 0});
  if (::poll(fds.data(), fds.size(), 1000) < 0) return errno == EINTR;
  bool ok = true;
  for (size_t i = 0; i < children.size(); ++i) {
    if (fds[i].revents == 0) continue;
    Child& c = children[i];
    char buf[65536];
    const ssize_t n = ::read(c.from_child, buf, sizeof buf);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      std::fprintf(stderr, "hearth-mqtt-load: child %d exited without a result\n", static_cast<int>(c.pid));
      c.done = true;
      ok = false;
      continue;
    }
    c.buffer.append(buf, static_cast<size_t>(n));
    size_t nl;
    while ((nl = c.buffer.find('\n')) != std::string::npos) {
      const std::string line = c.buffer.substr(0, nl);
      c.buffer.erase(0, nl + 1);
      auto v = hearth::core::parseJson(line);
      if (v && v.value().is_object()) on_line(c, v.value().as_object());
    }
  }
  return ok;
}

std::string selfExe() {
  char path[4096];
  const ssize_t n = ::readlink("/proc/self/exe", path, sizeof path - 1);
  if (n <= 0) return "/proc/self/exe";
  return std::string(path, static_cast<size_t>(n));
}

pid_t spawnChild(const std::string& exe, std::vector<std::string> args, uint32_t index, int& to_child,
                 int& from_child) {
  int in_pipe[2];
  int out_pipe[2];
  // Close-on-exec, so that later children do not hold earlier children's pipes open.
  if (::pipe2(in_pipe, O_CLOEXEC) != 0 || ::pipe2(out_pipe, O_CLOEXEC) != 0) return -1;
  args.push_back("--child-index");
  args.push_back(std::to_string(index));
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    // A child must not outlive the parent (e.g. when the benchmark script kills it).
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(1);
    ::dup2(in_pipe[0], STDIN_FILENO);
    ::dup2(out_pipe[1], STDOUT_FILENO);
    ::close(in_pipe[0]);
    ::close(in_pipe[1]);
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    ::execv(exe.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  to_child = in_pipe[1];
  from_child = out_pipe[0];
  return pid;
}

}  // namespace

int runChild(const LoadOptions& opts) {
  ChildSync sync;
  const ProcessResult r = runLoad(opts, processShare(opts, static_cast<uint32_t>(opts.child_index)), sync);
  writeLine(STDOUT_FILENO, json::serialize(processResultToJson(r)));
  return 0;
}

int runParent(const LoadOptions& opts, const std::vector<std::string>& argv) {
  BrokerMemory memory;
  memory.rss_before_kb = readProcStatusKb(opts.broker_pid, "VmRSS");
  // Between set-up and load: the idle scenario measures the broker with every client connected.
  auto between = [&](const SetupSummary&) {
    if (opts.scenario != Scenario::kIdle) return;
    std::this_thread::sleep_for(std::chrono::duration<double>(opts.settle_s));
    memory.rss_after_kb = readProcStatusKb(opts.broker_pid, "VmRSS");
  };

  ProcessResult total;
  bool ok = true;
  if (opts.processes <= 1) {
    InProcessSync sync(between);
    total = runLoad(opts, processShare(opts, 0), sync);
  } else {
    const std::string exe = selfExe();
    std::vector<Child> children(opts.processes);
    for (uint32_t i = 0; i < opts.processes; ++i) {
      children[i].pid = spawnChild(exe, argv, i, children[i].to_child, children[i].from_child);
      if (children[i].pid < 0) {
        std::fprintf(stderr, "hearth-mqtt-load: cannot start child %u\n", i);
        ok = false;
      }
    }
    auto on_line = [](Child& c, const json::object& o) {
      const auto& phase = o.at("phase").as_string();
      if (phase == "ready") c.ready = true;
      if (phase == "result") {
        c.result = processResultFromJson(o);
        c.done = true;
      }
    };
    auto all = [&](auto pred) {
      for (auto& c : children) {
        if (!pred(c)) return false;
      }
      return true;
    };
    while (ok && !all([](Child& c) { return c.ready || c.done; })) ok = pumpChildren(children, on_line);
    if (ok) {
      SetupSummary s;
      between(s);
      const std::string go = fmt::format("go {}", sim::steadyNowNs() + kGoLeadNs);
      for (auto& c : children) writeLine(c.to_child, go);
      while (!all([](Child& c) { return c.done; })) {
        if (!pumpChildren(children, on_line)) ok = false;
      }
    }
    for (auto& c : children) {
      if (c.pid <= 0) continue;
      if (!ok) ::kill(c.pid, SIGTERM);
      ::close(c.to_child);
      ::close(c.from_child);
      int status = 0;
      ::waitpid(c.pid, &status, 0);
      total.merge(c.result);
    }
  }
  memory.peak_rss_kb = readProcStatusKb(opts.broker_pid, "VmHWM");

  const json::object summary = summaryJson(opts, total, memory);
  const std::string text = summaryText(summary);
  if (opts.json) {
    std::fputs(text.c_str(), stderr);
    std::printf("%s\n", json::serialize(summary).c_str());
  } else {
    std::fputs(text.c_str(), stdout);
  }
  std::fflush(stdout);
  if (!ok) return 1;
  return total.ready == 0 && total.clients > 0 ? 1 : 0;
}

}  // namespace hearth::bench
