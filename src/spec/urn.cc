#include "hearth/spec/urn.h"

#include <array>
#include <charconv>
#include <string>
#include <vector>

#include "text_util.h"

namespace hearth::spec {
namespace {

using detail::inQuotes;

struct KindName {
  UrnKind kind;
  std::string_view name;
};

constexpr std::array<KindName, 7> kKinds = {{
    {UrnKind::kDevice, "device"},
    {UrnKind::kService, "service"},
    {UrnKind::kProperty, "property"},
    {UrnKind::kAction, "action"},
    {UrnKind::kEvent, "event"},
    {UrnKind::kTemplate, "template"},
    {UrnKind::kDeviceTemplate, "device-template"},
}};

// Names in the corpus are lower-case words joined by '-', plus a few like "pm2.5-density";
// anything else (spaces, '/', '#', non-ASCII) would make keys and topics ambiguous.
bool isNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_';
}

bool isName(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!isNameChar(c)) return false;
  }
  return true;
}

std::optional<uint32_t> parseHexId(std::string_view s) {
  if (s.size() != 8) return std::nullopt;
  uint32_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value, 16);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

std::optional<uint32_t> parseDecimal(std::string_view s) {
  if (s.empty()) return std::nullopt;
  uint32_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value, 10);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

UrnNamespaceClass classify(std::string_view ns) {
  if (ns == "miot-spec-v2") return UrnNamespaceClass::kMiot;
  if (ns == "xiot-spec") return UrnNamespaceClass::kXiot;
  if (ns == "homekit-spec") return UrnNamespaceClass::kForeign;
  return UrnNamespaceClass::kVendor;
}

// xiot-spec and the HomeKit mirror write vendor and product as two fields.
bool usesSplitSuffix(UrnNamespaceClass c) {
  return c == UrnNamespaceClass::kXiot || c == UrnNamespaceClass::kForeign;
}

bool isMiotLibrary(UrnNamespaceClass c) {
  return c == UrnNamespaceClass::kMiot || c == UrnNamespaceClass::kXiot;
}

core::Status invalid(std::string reason) { return core::Status::invalidArgument(std::move(reason)); }

}  // namespace

std::string_view urnKindName(UrnKind kind) {
  for (const auto& k : kKinds) {
    if (k.kind == kind) return k.name;
  }
  return "unknown";
}

core::Result<Urn> Urn::parse(std::string_view text) {
  if (text.size() > kMaxLength) {
    return invalid("URN longer than " + std::to_string(kMaxLength) + " characters");
  }
  // Field boundaries as offsets into `text`, so the spans below index the stored copy.
  std::vector<Span> fields;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == ':') {
      fields.push_back({static_cast<uint16_t>(start), static_cast<uint16_t>(i - start)});
      start = i + 1;
    }
  }
  auto field = [&](size_t i) { return text.substr(fields[i].pos, fields[i].len); };
  if (field(0) != "urn") return invalid("not a URN: " + inQuotes(text) + " does not start with \"urn:\"");
  if (fields.size() < 5) {
    return invalid("URN " + inQuotes(text) + " needs at least urn:<namespace>:<kind>:<name>:<id>");
  }

  Urn urn;
  urn.text_ = std::string(text);
  urn.ns_ = fields[1];
  if (!isName(field(1))) return invalid("invalid namespace " + inQuotes(field(1)));
  urn.ns_class_ = classify(field(1));

  bool known_kind = false;
  for (const auto& k : kKinds) {
    if (k.name == field(2)) {
      urn.kind_ = k.kind;
      known_kind = true;
    }
  }
  if (!known_kind) return invalid("unknown kind " + inQuotes(field(2)));

  if (!isName(field(3))) return invalid("invalid name " + inQuotes(field(3)));
  urn.name_ = fields[3];

  auto id = parseHexId(field(4));
  if (!id) return invalid("id " + inQuotes(field(4)) + " is not 8 hex digits");
  urn.id_ = *id;

  const size_t suffix = fields.size() - 5;
  if (suffix == 0) return urn;

  const bool split = usesSplitSuffix(urn.ns_class_);
  const size_t base = split ? 3 : 2;  // fields before an optional template id
  if (suffix != base && suffix != base + 1) {
    return invalid(split ? "URN suffix must be :<vendor>:<product>:<version>[:<template-id>]"
                         : "URN suffix must be :<vendor-product>:<version>[:<template-id>]");
  }
  for (size_t i = 5; i < 5 + base - 1; ++i) {
    if (!isName(field(i))) return invalid("invalid vendor-product field " + inQuotes(field(i)));
  }
  if (split) {
    urn.vendor_ = fields[5];
    urn.product_ = fields[6];
    urn.vendor_product_ = std::string(field(5)) + "-" + std::string(field(6));
  } else {
    urn.vendor_product_ = std::string(field(5));
    const size_t dash = urn.vendor_product_.find('-');
    const uint16_t vendor_len =
        dash == std::string::npos ? fields[5].len : static_cast<uint16_t>(dash);
    urn.vendor_ = {fields[5].pos, vendor_len};
    if (dash != std::string::npos) {
      urn.product_ = {static_cast<uint16_t>(fields[5].pos + dash + 1),
                      static_cast<uint16_t>(fields[5].len - dash - 1)};
    }
  }
  auto version = parseDecimal(field(5 + base - 1));
  if (!version) return invalid("version " + inQuotes(field(5 + base - 1)) + " is not a number");
  urn.version_ = *version;
  if (suffix == base + 1) {
    auto template_id = parseHexId(field(5 + base));
    if (!template_id) return invalid("template id " + inQuotes(field(5 + base)) + " is not 8 hex digits");
    urn.template_id_ = *template_id;
  }
  return urn;
}

bool Urn::sameDefinition(const Urn& other) const {
  if (kind_ != other.kind_ || id_ != other.id_ || name() != other.name()) return false;
  if (ns() == other.ns()) return true;
  return isMiotLibrary(ns_class_) && isMiotLibrary(other.ns_class_);
}

}  // namespace hearth::spec
