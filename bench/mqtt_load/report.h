// Result lines: a child's raw counts and latency buckets (so the parent can merge them), and the
// final summary, as JSON for scripts and as text for people.
#pragma once

#include <boost/json/object.hpp>

#include <string>

#include "load_run.h"
#include "options.h"

namespace hearth::bench {

// What the parent measured of the broker process itself; -1 where unknown.
struct BrokerMemory {
  long rss_before_kb = -1;  // before any client connected
  long rss_after_kb = -1;   // idle: with every client connected, after settling
  long peak_rss_kb = -1;    // VmHWM once the run is over
};

// A field of /proc/PID/status in kB ("VmRSS", "VmHWM"), or -1.
long readProcStatusKb(int pid, const char* field);

boost::json::object processResultToJson(const ProcessResult& r);
ProcessResult processResultFromJson(const boost::json::object& o);

boost::json::object summaryJson(const LoadOptions& o, const ProcessResult& r, const BrokerMemory& m);
std::string summaryText(const boost::json::object& summary);

}  // namespace hearth::bench
