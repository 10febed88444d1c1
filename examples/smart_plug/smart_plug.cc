// A smart plug on the Hearth device SDK: the Mi Smart Plug's spec (zimi.outlet.v2, in
// tests/data/specs/xiot/instance) implemented in a hundred lines.
//
//   service 2 switch           1 on (read, write, notify)   2 temperature (read, notify, °C)
//   service 4 indicator-light  1 on (read, write, notify)
//
// Register the product and a device first (docs/operations.md), then:
//   hearth-example-smart-plug --host 127.0.0.1 --port 1883 --did DID --secret SECRET
// Lines on standard input stand for the plug's hardware: "press" is its button (toggles the
// relay and reports it, buffered while offline), "stats" prints the SDK's counters, "quit" ends.
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "hearth/sim/device_client.h"

namespace sim = hearth::sim;

struct Plug {
  bool relay = false;
  bool indicator = true;
  double temperature = 31.5;  // the relay warms the plug a little while on
};

int main(int argc, char** argv) {
  sim::ClientOptions options;
  CLI::App app{"A smart plug (zimi.outlet.v2) on the Hearth device SDK"};
  app.add_option("--host", options.host)->capture_default_str();
  app.add_option("--port", options.port)->capture_default_str();
  app.add_option("--did", options.did)->required();
  app.add_option("--secret", options.secret)->required();
  app.add_option("--buffer", options.report_buffer, "Reports kept while offline")->capture_default_str();
  app.add_option("--keep-alive", options.keep_alive_s)->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  options.backoff_initial = std::chrono::milliseconds(200);
  options.backoff_max = std::chrono::milliseconds(2000);

  boost::asio::io_context io;
  sim::DeviceClient client(io, options);
  Plug plug;
  const auto say = [](const std::string& line) {
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
  };

  // The cloud's requests, one handler per property: read the hardware, or change it and report.
  client.onGet(2, 1, [&] { return sim::GetResult{0, plug.relay}; });
  client.onGet(2, 2, [&] { return sim::GetResult{0, plug.temperature}; });
  client.onGet(4, 1, [&] { return sim::GetResult{0, plug.indicator}; });
  client.onSet(2, 1, [&](const boost::json::value& v) {
    if (!v.is_bool()) return -704220043;  // the cloud checks values first; a device checks too
    plug.relay = v.get_bool();
    client.reportProperty(2, 1, plug.relay);  // MIoT devices report what they did
    say(std::string("on=") + (plug.relay ? "true" : "false"));
    return 0;
  });
  client.onSet(4, 1, [&](const boost::json::value& v) {
    if (!v.is_bool()) return -704220043;
    plug.indicator = v.get_bool();
    client.reportProperty(4, 1, plug.indicator);
    return 0;
  });
  client.onConnectionChange([&](sim::ConnectionState state, std::string_view why) {
    say(std::string(sim::connectionStateName(state)) + (why.empty() ? "" : ": " + std::string(why)));
    if (state == sim::ConnectionState::kOnline) {
      client.reportProperties({{2, 1, plug.relay}, {2, 2, plug.temperature}, {4, 1, plug.indicator}});
    }
  });

  // The temperature, once a minute.
  boost::asio::steady_timer thermometer(io);
  std::function<void()> measure = [&] {
    thermometer.expires_after(std::chrono::seconds(60));
    thermometer.async_wait([&](const boost::system::error_code& ec) {
      if (ec) return;
      plug.temperature = plug.relay ? 36.0 : 31.5;
      client.reportProperty(2, 2, plug.temperature);
      measure();
    });
  };

  // The hardware: lines on standard input.
  boost::asio::posix::stream_descriptor input(io, ::dup(STDIN_FILENO));
  std::string line;
  std::function<void()> readLine = [&] {
    boost::asio::async_read_until(input, boost::asio::dynamic_buffer(line), '\n',
                                  [&](const boost::system::error_code& ec, size_t n) {
                                    const std::string command = ec ? "quit" : line.substr(0, n - 1);
                                    line.erase(0, n);
                                    if (command == "press") {
                                      plug.relay = !plug.relay;
                                      client.reportProperty(2, 1, plug.relay);
                                    } else if (command == "stats") {
                                      const sim::ClientStats s = client.stats();
                                      say("stats reports=" + std::to_string(s.reports) + " acked=" +
                                          std::to_string(s.reports_acked) + " dropped=" +
                                          std::to_string(s.reports_dropped) + " waiting=" +
                                          std::to_string(s.reports_waiting) + " connects=" +
                                          std::to_string(s.connects));
                                    } else if (command == "quit") {
                                      client.stop();
                                      thermometer.cancel();
                                      input.close();
                                      return;
                                    }
                                    readLine();
                                  });
  };

  client.start();
  measure();
  readLine();
  io.run();
  return 0;
}
