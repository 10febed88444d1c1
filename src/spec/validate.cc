#include "hearth/spec/validate.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include "json_reader.h"
#include "text_util.h"

namespace hearth::spec {
namespace {

using detail::inQuotes;

std::string child(const std::string& pointer, std::string_view token) {
  std::string out = pointer;
  detail::appendPointerToken(out, token);
  return out;
}

std::string child(const std::string& pointer, size_t index) {
  std::string out = pointer;
  detail::appendPointerIndex(out, index);
  return out;
}

std::string article(std::string_view word) {
  const bool vowel = !word.empty() && std::string_view("aeiou").find(word.front()) != std::string_view::npos;
  return std::string(vowel ? "an " : "a ") + std::string(word);
}

class Validator {
 public:
  std::vector<Finding> run(const Instance& instance) {
    checkKind(instance.type, UrnKind::kDevice, "/type");
    if (!instance.type.hasVendorProduct()) {
      error("/type", "a device instance type needs :<vendor-product>:<version> (spec-v2 §3.2.1)");
    }
    if (instance.type.namespaceClass() == UrnNamespaceClass::kForeign) {
      warning("/type", "namespace " + inQuotes(instance.type.ns()) +
                           " is foreign to MIoT-Spec; only structural checks apply");
    }
    checkExtensions(instance.extensions, "");
    checkDeviceInformation(instance);
    std::map<uint32_t, std::string> siids;
    for (size_t i = 0; i < instance.services.size(); ++i) {
      const Service& service = instance.services[i];
      const std::string pointer = child("/services", i);
      checkUnique(siids, service.iid, pointer, "service");
      checkService(service, pointer);
    }
    return std::move(findings_);
  }

 private:
  void error(std::string pointer, std::string message) {
    findings_.push_back({Severity::kError, std::move(pointer), std::move(message)});
  }
  void warning(std::string pointer, std::string message) {
    findings_.push_back({Severity::kWarning, std::move(pointer), std::move(message)});
  }

  void checkKind(const Urn& type, UrnKind expected, const std::string& pointer) {
    if (type.kind() == expected) return;
    error(pointer, "expected " + article(urnKindName(expected)) + " URN, got " +
                       article(urnKindName(type.kind())) + " URN");
  }

  void checkUnique(std::map<uint32_t, std::string>& seen, uint32_t iid, const std::string& pointer,
                   std::string_view what) {
    auto [it, inserted] = seen.emplace(iid, pointer);
    if (inserted) return;
    error(child(pointer, "iid"), "duplicate " + std::string(what) + " iid " + std::to_string(iid) +
                                     " (also " + it->second + ")");
  }

  void checkExtensions(const boost::json::object& extensions, const std::string& pointer) {
    for (const auto& m : extensions) {
      warning(child(pointer, m.key()), "unknown member, kept but not interpreted");
    }
  }

  void checkDeviceInformation(const Instance& instance) {
    for (size_t i = 0; i < instance.services.size(); ++i) {
      const Service& service = instance.services[i];
      if (service.type.name() != "device-information") continue;
      if (service.iid != 1) {
        warning(child(child("/services", i), "iid"),
                "device-information should be service iid 1 (spec-v2 §9), is " +
                    std::to_string(service.iid));
      }
      return;
    }
    warning("/services", "no device-information service (spec-v2 §9 requires it as service 1)");
  }

  void checkService(const Service& service, const std::string& pointer) {
    checkKind(service.type, UrnKind::kService, child(pointer, "type"));
    checkExtensions(service.extensions, pointer);
    std::map<uint32_t, std::string> piids;
    for (size_t i = 0; i < service.properties.size(); ++i) {
      const std::string p = child(child(pointer, "properties"), i);
      checkUnique(piids, service.properties[i].iid, p, "property");
      checkProperty(service.properties[i], p);
    }
    std::map<uint32_t, std::string> aiids;
    for (size_t i = 0; i < service.actions.size(); ++i) {
      const Action& action = service.actions[i];
      const std::string p = child(child(pointer, "actions"), i);
      checkUnique(aiids, action.iid, p, "action");
      checkKind(action.type, UrnKind::kAction, child(p, "type"));
      checkArguments(service, action.in, child(p, "in"));
      checkArguments(service, action.out, child(p, "out"));
      checkExtensions(action.extensions, p);
    }
    std::map<uint32_t, std::string> eiids;
    for (size_t i = 0; i < service.events.size(); ++i) {
      const Event& event = service.events[i];
      const std::string p = child(child(pointer, "events"), i);
      checkUnique(eiids, event.iid, p, "event");
      checkKind(event.type, UrnKind::kEvent, child(p, "type"));
      checkArguments(service, event.arguments, child(p, "arguments"));
      checkExtensions(event.extensions, p);
    }
  }

  void checkArguments(const Service& service, const std::vector<Argument>& arguments,
                      const std::string& pointer) {
    for (size_t i = 0; i < arguments.size(); ++i) {
      const Argument& a = arguments[i];
      const bool found = std::any_of(service.properties.begin(), service.properties.end(),
                                     [&](const Property& p) { return p.iid == a.piid; });
      if (!found) {
        error(child(pointer, i), "argument refers to property iid " + std::to_string(a.piid) +
                                     ", which service " + std::to_string(service.iid) +
                                     " does not have");
      }
      if (a.repeat && (a.repeat->min > a.repeat->max || a.repeat->max == 0)) {
        error(child(child(pointer, i), "repeat"),
              "repeat [" + std::to_string(a.repeat->min) + ", " + std::to_string(a.repeat->max) +
                  "] must satisfy min <= max and max >= 1");
      }
    }
  }

  void checkProperty(const Property& property, const std::string& pointer) {
    checkKind(property.type, UrnKind::kProperty, child(pointer, "type"));
    checkExtensions(property.extensions, pointer);
    const std::string format(formatName(property.format));
    if (property.access.empty()) {
      error(child(pointer, "access"), "access is empty: the property can be neither read, written nor notified");
    }
    // "none" says there is no unit, which suits any format.
    if (property.unit && property.unit->name != "none") {
      if (!isNumericFormat(property.format)) {
        warning(child(pointer, "unit"), "unit " + inQuotes(property.unit->name) + " on " +
                                            article(format) + " property");
      } else if (!property.unit->isKnown()) {
        warning(child(pointer, "unit"), "unknown unit " + inQuotes(property.unit->name));
      }
    }
    if (property.value_range) {
      if (isNumericFormat(property.format)) {
        checkRange(*property.value_range, property.format, child(pointer, "value-range"));
      } else {
        error(child(pointer, "value-range"), "value-range on " + article(format) + " property");
      }
    }
    if (property.value_list) {
      if (isNumericFormat(property.format)) {
        checkList(*property.value_list, property.format, child(pointer, "value-list"));
      } else {
        error(child(pointer, "value-list"), "value-list on " + article(format) + " property");
      }
    }
    if (property.value_range && property.value_list) {
      warning(pointer, "both value-range and value-list; a value must satisfy both");
    }
  }

  void checkRange(const ValueRange& range, Format format, const std::string& pointer) {
    const Number* parts[] = {&range.min, &range.max, &range.step};
    const char* names[] = {"min", "max", "step"};
    bool fits = true;
    for (size_t i = 0; i < 3; ++i) {
      // The step is a distance, not a value: it must be whole for integer formats, nothing more.
      const Format as = (i == 2 && isIntegerFormat(format)) ? Format::kInt64 : format;
      if (auto reason = numberFitsFormat(*parts[i], as)) {
        error(child(pointer, i), std::string(names[i]) + " " + *reason);
        fits = false;
      }
    }
    if (range.step.toDouble() <= 0) {
      error(child(pointer, size_t{2}), "step must be > 0, is " + range.step.toString());
    }
    if (fits && range.min.toDouble() > range.max.toDouble()) {
      error(pointer, "min " + range.min.toString() + " > max " + range.max.toString());
    }
  }

  void checkList(const ValueList& list, Format format, const std::string& pointer) {
    if (list.empty()) warning(pointer, "value-list is empty: no value is allowed");
    // Values that fit an integer format are exact int64s; float ones compare as doubles.
    std::map<int64_t, size_t> whole;
    std::map<double, size_t> fractional;
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string p = child(child(pointer, i), "value");
      const Number& value = list[i].value;
      if (auto reason = numberFitsFormat(value, format)) {
        error(p, "value " + *reason);
        continue;
      }
      const size_t first = isIntegerFormat(format) ? whole.emplace(*value.toInt64(), i).first->second
                                                   : fractional.emplace(value.toDouble(), i).first->second;
      if (first != i) {
        error(p, "duplicate value " + value.toString() + " (also " +
                     child(child(pointer, first), "value") + ")");
      }
    }
  }

  std::vector<Finding> findings_;
};

}  // namespace

std::vector<Finding> validate(const Instance& instance) { return Validator().run(instance); }

std::optional<std::string> numberFitsFormat(const Number& value, Format format) {
  const std::string text = value.toString();
  if (format == Format::kFloat) return std::nullopt;
  if (!isIntegerFormat(format)) return text + " is a number, not " + article(formatName(format));
  const IntegerBounds bounds = integerBounds(format);
  auto whole = value.toInt64();
  if (!whole) {
    if (value.kind() == Number::Kind::kUint64 || value.toDouble() == std::trunc(value.toDouble())) {
      return text + " does not fit " + std::string(formatName(format));
    }
    return text + " is not a whole number (" + std::string(formatName(format)) + ")";
  }
  if (*whole < bounds.min || *whole > bounds.max) {
    return text + " does not fit " + std::string(formatName(format)) + " (" +
           std::to_string(bounds.min) + ".." + std::to_string(bounds.max) + ")";
  }
  return std::nullopt;
}

}  // namespace hearth::spec
