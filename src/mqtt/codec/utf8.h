// MQTT's rules for UTF-8 Encoded Strings (spec 1.5.4).
#pragma once

#include <string_view>

namespace hearth::mqtt::detail {

// True when `s` is well-formed UTF-8 (RFC 3629: no overlong forms, nothing above U+10FFFF, no
// UTF-16 surrogates U+D800..U+DFFF) and has no U+0000. Control characters and non-characters are
// allowed: the specification only says a sender SHOULD NOT use them.
bool isValidMqttUtf8(std::string_view s);

}  // namespace hearth::mqtt::detail
