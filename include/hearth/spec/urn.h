// The type URN of MIoT-Spec-V2: what a device, service, property, action or event *is*.
//
//   urn:<namespace>:<kind>:<name>:<hex-id>[:<vendor-product>:<version>[:<template-id>]]
//
// Definitions in the standard library carry no suffix; every element of a device instance does
// (spec-v2 §3.2, "inheritance"). Two spellings of the suffix exist in the wild:
//   - joined (miot-spec-v2, vendor namespaces such as cnhdm-spec): `...:0000A002:chuangmi-m1:1`
//   - split (xiot-spec, homekit-spec): `...:0000a002:chuangmi:m1:1`, vendor and product apart.
// Both mean vendor-product "chuangmi-m1". Which spelling a namespace uses is fixed by the
// namespace, so `a:1:0000C801` (joined, with a template id) and `a:b:1` (split) never clash.
//
// Value type: copyable, immutable after parsing, safe to share between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "hearth/core/status.h"

namespace hearth::spec {

enum class UrnKind : uint8_t {
  kDevice,
  kService,
  kProperty,
  kAction,
  kEvent,
  kTemplate,
  kDeviceTemplate,
};

// "device", "service", ... as written in a URN.
std::string_view urnKindName(UrnKind kind);

// How a namespace relates to MIoT-Spec. kMiot and kXiot share one standard library (same names
// and ids; xiot-spec is the open mirror of miot-spec-v2). kVendor namespaces hold a maker's own
// definitions; kForeign ones (homekit-spec) come from another ecosystem and only get structural
// checks.
enum class UrnNamespaceClass : uint8_t { kMiot, kXiot, kVendor, kForeign };

class Urn {
 public:
  // Longer URNs are rejected; real ones are under 100 characters.
  static constexpr size_t kMaxLength = 512;

  Urn() = default;  // empty; only as a placeholder in aggregates before parsing fills it in

  // Parses `text`. Errors are kInvalidArgument with the reason as message, e.g.
  // `id "12G4" is not 8 hex digits`. Never throws.
  static core::Result<Urn> parse(std::string_view text);

  // The URN exactly as written (hex case kept), which is what serialisation writes back.
  const std::string& text() const { return text_; }
  std::string_view ns() const { return view(ns_); }
  UrnNamespaceClass namespaceClass() const { return ns_class_; }
  UrnKind kind() const { return kind_; }
  std::string_view name() const { return view(name_); }
  uint32_t id() const { return id_; }

  bool hasVendorProduct() const { return version_.has_value(); }
  // "chuangmi-m1" in both spellings; empty for a definition.
  const std::string& vendorProduct() const { return vendor_product_; }
  // The vendor: its own field in the split spelling; in the joined spelling the part before the
  // first '-' (MIoT vendor-product codes are "<vendor>-<product>", e.g. "philips-moonlight").
  std::string_view vendor() const { return view(vendor_); }
  std::string_view product() const { return view(product_); }
  std::optional<uint32_t> version() const { return version_; }
  std::optional<uint32_t> templateId() const { return template_id_; }

  // Same standard definition: kind, name and id equal, namespaces equal or both in the shared
  // MIoT library (miot-spec-v2 / xiot-spec). Suffixes are ignored.
  bool sameDefinition(const Urn& other) const;

  friend bool operator==(const Urn& a, const Urn& b) { return a.text_ == b.text_; }

 private:
  struct Span {
    uint16_t pos = 0;
    uint16_t len = 0;
  };
  std::string_view view(Span s) const { return std::string_view(text_).substr(s.pos, s.len); }

  std::string text_;
  std::string vendor_product_;
  Span ns_;
  Span name_;
  Span vendor_;
  Span product_;
  UrnKind kind_ = UrnKind::kDevice;
  UrnNamespaceClass ns_class_ = UrnNamespaceClass::kVendor;
  uint32_t id_ = 0;
  std::optional<uint32_t> version_;
  std::optional<uint32_t> template_id_;
};

}  // namespace hearth::spec
