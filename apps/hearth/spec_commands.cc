#include "spec_commands.h"

#include <fmt/format.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hearth/spec/catalogue.h"
#include "hearth/spec/json.h"
#include "hearth/spec/product_view.h"
#include "hearth/spec/validate.h"

namespace hearth::cli {
namespace {

using spec::ControlHint;
using spec::ControlKind;

struct SpecOptions {
  std::vector<std::string> check_files;
  std::string definitions;
  std::string show_file;
};

// Prints each file's findings, one per line, then a summary; returns whether any file had an
// error (a file that does not load counts as one).
bool runCheck(const SpecOptions& options) {
  std::optional<spec::Catalogue> catalogue;
  if (!options.definitions.empty()) {
    auto loaded = spec::Catalogue::load(options.definitions);
    if (!loaded) {
      fmt::print(stderr, "hearth spec check: {}\n", loaded.error().toString());
      return true;
    }
    catalogue = std::move(loaded).value();
  }
  size_t with_errors = 0;
  size_t with_warnings = 0;
  for (const auto& file : options.check_files) {
    auto instance = spec::loadInstanceFile(file);
    if (!instance) {
      fmt::print("{}: error {}\n", file, instance.error().message());
      ++with_errors;
      continue;
    }
    std::vector<spec::Finding> findings = spec::validate(instance.value());
    if (catalogue) {
      auto more = catalogue->check(instance.value());
      findings.insert(findings.end(), more.begin(), more.end());
    }
    for (const auto& f : findings) fmt::print("{}: {}\n", file, f.toString());
    if (spec::hasErrors(findings)) {
      ++with_errors;
    } else if (!findings.empty()) {
      ++with_warnings;
    } else {
      fmt::print("{}: ok\n", file);
    }
  }
  fmt::print("checked {} file{}: {} with errors, {} with warnings only\n", options.check_files.size(),
             options.check_files.size() == 1 ? "" : "s", with_errors, with_warnings);
  return with_errors > 0;
}

// "Brightness / 亮度", or one name when both locales say the same.
std::string names(const spec::LocalizedName& name) {
  if (name.zh_cn == name.en_us) return name.en_us;
  return name.en_us + " / " + name.zh_cn;
}

std::string arguments(const std::vector<spec::Argument>& args) {
  std::string out = "[";
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) out += ", ";
    out += std::to_string(args[i].piid);
    if (args[i].repeat) out += fmt::format(" x{}..{}", args[i].repeat->min, args[i].repeat->max);
  }
  return out + "]";
}

// "slider 1..100 step 1 %", "select {0 Day, 1 Night}", "reading °C".
std::string control(const ControlHint& hint) {
  std::string out(spec::controlKindName(hint.kind));
  if (hint.range) {
    out += fmt::format(" {}..{} step {}", hint.range->min.toString(), hint.range->max.toString(),
                       hint.range->step.toString());
  }
  if (!hint.options.empty()) {
    out += " {";
    for (size_t i = 0; i < hint.options.size(); ++i) {
      if (i > 0) out += ", ";
      out += hint.options[i].value.toString() + " " + hint.options[i].label.en_us;
    }
    out += "}";
  }
  if (!hint.unit.empty()) out += " " + hint.unit;
  return out;
}

bool runShow(const SpecOptions& options) {
  auto instance = spec::loadInstanceFile(options.show_file);
  if (!instance) {
    fmt::print(stderr, "hearth spec show: {}: {}\n", options.show_file, instance.error().message());
    return true;
  }
  const spec::ProductView view(std::move(instance).value());
  const spec::Instance& in = view.instance();
  fmt::print("{}\n  {}\n", names({std::string(in.description.forLocale("zh-CN")),
                                  std::string(in.description.forLocale("en-US"))}),
             in.type.text());
  fmt::print("  product {}, version {}: {} services, {} properties, {} actions, {} events\n",
             in.type.vendorProduct().empty() ? "-" : in.type.vendorProduct(), in.type.version().value_or(0),
             view.services().size(), view.properties().size(), view.actions().size(), view.events().size());
  for (const auto& service : view.services()) {
    fmt::print("\nservice {}  {}  {}\n", service.siid, service.key, names(service.name));
    for (const auto& p : view.properties()) {
      if (p.service != service.service) continue;
      const spec::Property& prop = *p.property;
      fmt::print("  property {}.{}  {}  {}  {}  {}  {}\n", p.siid, p.piid, p.key, spec::formatName(prop.format),
                 prop.access.toString(), control(p.control), names(p.name));
    }
    for (const auto& a : view.actions()) {
      if (a.service != service.service) continue;
      fmt::print("  action {}.{}  {}  in {} out {}  button  {}\n", a.siid, a.aiid, a.key,
                 arguments(a.action->in), arguments(a.action->out), names(a.name));
    }
    for (const auto& e : view.events()) {
      if (e.service != service.service) continue;
      fmt::print("  event {}.{}  {}  arguments {}  {}\n", e.siid, e.eiid, e.key, arguments(e.event->arguments),
                 names(e.name));
    }
  }
  return false;
}

}  // namespace

void addSpecCommands(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<SpecOptions>();
  auto* spec_cmd = app.add_subcommand("spec", "Check and show MIoT-Spec-V2 device instances");
  spec_cmd->require_subcommand(1);

  auto* check = spec_cmd->add_subcommand(
      "check", "Validate instance files; print findings; exit 1 if any file has an error");
  check->add_option("files", options->check_files, "Instance JSON files")->required()->check(CLI::ExistingFile);
  check->add_option("--definitions", options->definitions,
                    "Standard definitions folder (devices/, services/, ...) to check device types against")
      ->check(CLI::ExistingDirectory);
  check->callback([options, &exit_code] {
    if (runCheck(*options)) exit_code = 1;
  });

  auto* show = spec_cmd->add_subcommand(
      "show", "Summarise an instance: services, properties with keys, ranges, units and controls");
  show->add_option("file", options->show_file, "Instance JSON file")->required()->check(CLI::ExistingFile);
  show->callback([options, &exit_code] {
    if (runShow(*options)) exit_code = 1;
  });
}

}  // namespace hearth::cli
