// Micro-benchmarks of the MQTT codec on the broker's hot path: PUBLISH in both directions for
// small and 1 KiB payloads, in MQTT 3.1.1 and 5.0, and CONNECT decoding (connection storms).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

#include "hearth/mqtt/codec.h"

namespace hearth::bench {
namespace {

using mqtt::ProtocolVersion;

mqtt::Publish makePublish(size_t payload, ProtocolVersion version) {
  mqtt::Publish p;
  p.topic = "device/0123456789abcdef/telemetry";
  p.payload.assign(payload, 'x');
  p.qos = mqtt::QoS::k1;
  p.packet_id = 4242;
  if (version == ProtocolVersion::kV5) {
    // What a typical MQTT 5.0 device sends: a content type and one user property.
    p.properties.content_type = "application/json";
    p.properties.user_properties.push_back({"fw", "1.4.2"});
  }
  return p;
}

mqtt::Connect makeConnect(ProtocolVersion version) {
  mqtt::Connect c;
  c.version = version;
  c.client_id = "device-0123456789abcdef";
  c.keep_alive = 60;
  c.username = "device-0123456789abcdef";
  c.password = std::string(32, 's');
  mqtt::Will w;
  w.topic = "device/0123456789abcdef/status";
  w.payload = "offline";
  w.qos = mqtt::QoS::k1;
  w.retain = true;
  c.will = w;
  if (version == ProtocolVersion::kV5) c.properties.session_expiry_interval = 3600;
  return c;
}

std::string encoded(const mqtt::Packet& p, ProtocolVersion v) {
  std::string out;
  mqtt::encode(p, v, out);
  return out;
}

// A decode failure would make every number below meaningless: stop loudly.
template <class R>
void mustDecode(benchmark::State& state, const R& r) {
  if (!r) state.SkipWithError(r.error().message.c_str());
}

void BM_DecodePublish(benchmark::State& state) {
  const auto version = static_cast<ProtocolVersion>(state.range(1));
  const std::string bytes = encoded(makePublish(static_cast<size_t>(state.range(0)), version), version);
  for (auto _ : state) {
    auto r = mqtt::decode(bytes, version);
    benchmark::DoNotOptimize(r);
    if (!r) {
      mustDecode(state, r);
      break;
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
}

void BM_EncodePublish(benchmark::State& state) {
  const auto version = static_cast<ProtocolVersion>(state.range(1));
  const mqtt::Packet packet = makePublish(static_cast<size_t>(state.range(0)), version);
  std::string out;
  out.reserve(4096);
  for (auto _ : state) {
    out.clear();  // as a connection's output buffer is reused
    mqtt::encode(packet, version, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * out.size()));
}

void BM_PeekFrame(benchmark::State& state) {
  const auto version = static_cast<ProtocolVersion>(state.range(1));
  const std::string bytes = encoded(makePublish(static_cast<size_t>(state.range(0)), version), version);
  for (auto _ : state) {
    auto r = mqtt::peekFrame(bytes, 1 << 20);
    benchmark::DoNotOptimize(r);
  }
}

void BM_DecodeConnect(benchmark::State& state) {
  const auto version = static_cast<ProtocolVersion>(state.range(0));
  const std::string bytes = encoded(makeConnect(version), version);
  for (auto _ : state) {
    auto r = mqtt::decodeConnect(bytes);
    benchmark::DoNotOptimize(r);
    if (!r) {
      mustDecode(state, r);
      break;
    }
  }
}

// Args: payload bytes, protocol level.
void publishArgs(benchmark::internal::Benchmark* b) {
  b->ArgNames({"payload", "version"});
  for (int v : {4, 5}) {
    for (int size : {64, 1024}) b->Args({size, v});
  }
}

BENCHMARK(BM_DecodePublish)->Apply(publishArgs);
BENCHMARK(BM_EncodePublish)->Apply(publishArgs);
BENCHMARK(BM_PeekFrame)->Apply(publishArgs);
BENCHMARK(BM_DecodeConnect)->ArgName("version")->Arg(4)->Arg(5);

}  // namespace
}  // namespace hearth::bench

BENCHMARK_MAIN();
