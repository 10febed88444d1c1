// CommandService's half that knows the spec: what may be sent, and what a device's reply means
// for each item.
#include <fmt/format.h>

#include "hearth/platform/result_code.h"
#include "platform/command_parts.h"

namespace hearth::platform {

core::Result<CommandService::Prepared> CommandService::prepare(const std::string& did, DeviceRequest request) {
  auto device = devices_.device(did);
  if (!device) return device.error();
  auto view = products_.view(device.value().model);
  if (!view) return view.error();
  Prepared p;
  p.view = std::move(view).value();
  p.request.method = request.method;
  const spec::ProductView& product = *p.view;

  if (request.method == Method::kAction) {
    ActionResult result{request.siid, request.iid, result::kDone, {}};
    const spec::ActionEntry* action = product.action(request.siid, request.iid);
    if (action == nullptr) {
      result.code = product.service(request.siid) == nullptr ? result::kServiceNotFound : result::kActionNotFound;
    } else if (auto check = action->in.check(request.in); !check.ok()) {
      result.code = resultCodeFor(check.error, true);
    } else {
      p.request.siid = request.siid;
      p.request.iid = request.iid;
      p.request.in = std::move(request.in);
      p.sent.push_back(0);
    }
    p.answer.body = std::move(result);
    return p;
  }

  const spec::Operation operation =
      request.method == Method::kSetProperties ? spec::Operation::kWrite : spec::Operation::kReport;
  std::vector<PropertyResult> results;
  results.reserve(request.properties.size());
  for (PropertyItem& item : request.properties) {
    PropertyResult r{item.siid, item.piid, result::kDone, std::nullopt};
    const spec::PropertyEntry* entry = product.property(item.siid, item.piid);
    if (entry == nullptr) {
      r.code = product.service(item.siid) == nullptr ? result::kServiceNotFound : result::kPropertyNotFound;
    } else if (request.method == Method::kGetProperties) {
      if (!entry->checker.access().canRead()) r.code = result::kNotReadable;
    } else if (auto check = entry->checker.check(item.value, operation); !check.ok()) {
      r.code = resultCodeFor(check.error, false);
    }
    if (r.code == result::kDone) {
      p.sent.push_back(results.size());
      if (request.method == Method::kGetProperties) item.value = nullptr;
      p.request.properties.push_back(std::move(item));
    }
    results.push_back(std::move(r));
  }
  p.answer.body = std::move(results);
  return p;
}

void CommandService::Prepared::fillSent(int32_t code) {
  if (auto* action = std::get_if<ActionResult>(&answer.body)) {
    if (!sent.empty()) action->code = code;
    return;
  }
  auto& results = std::get<std::vector<PropertyResult>>(answer.body);
  for (size_t i : sent) results[i].code = code;
}

void CommandService::Prepared::applyReply(const DeviceResponse& reply) {
  if (const auto* error = std::get_if<MessageError>(&reply.body)) return fillSent(error->code);
  if (auto* action = std::get_if<ActionResult>(&answer.body)) {
    const auto* got = std::get_if<ActionResult>(&reply.body);
    if (got == nullptr || got->siid != action->siid || got->aiid != action->aiid) {
      return fillSent(result::kMalformed);  // a reply that is not about this action
    }
    action->code = got->code;
    const spec::ActionEntry* entry = view->action(action->siid, action->aiid);
    if (got->code == result::kDone && entry != nullptr && !entry->out.check(got->out).ok()) {
      action->code = result::kActionFailed;  // outputs the spec does not allow are not passed on
    } else {
      action->out = got->out;
    }
    return;
  }
  auto& results = std::get<std::vector<PropertyResult>>(answer.body);
  const auto* got = std::get_if<std::vector<PropertyResult>>(&reply.body);
  for (size_t i : sent) {
    PropertyResult& r = results[i];
    r.code = result::kTimeout;  // unless the reply has the item
    if (got == nullptr) {
      r.code = result::kMalformed;  // a reply that is not about properties
      continue;
    }
    for (const PropertyResult& g : *got) {
      if (g.siid != r.siid || g.piid != r.piid) continue;
      r.code = g.code;
      if (request.method == Method::kGetProperties && g.code == result::kDone) {
        const spec::PropertyEntry* entry = view->property(r.siid, r.piid);
        if (!g.value || entry == nullptr || !entry->checker.check(*g.value, spec::Operation::kArgument).ok()) {
          r.code = result::kValueInvalid;  // the device answered something its spec does not allow
        } else {
          r.value = g.value;
        }
      }
      break;
    }
  }
}

}  // namespace hearth::platform
