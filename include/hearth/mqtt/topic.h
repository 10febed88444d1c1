// Topic names and topic filters (MQTT section 4.7): validation and matching.
#pragma once

#include <string_view>

namespace hearth::mqtt {

// A topic name for PUBLISH: 1..65535 bytes, no '+' or '#', no U+0000. UTF-8 validity is the
// codec's job; this checks the MQTT rules only.
bool isValidTopicName(std::string_view topic);

// A topic filter for SUBSCRIBE: '#' only as the whole last level, '+' only as a whole level.
// A shared subscription "$share/<group>/<filter>" is valid when the group is non-empty and has no
// '+', '#' or '/', and the filter is valid.
bool isValidTopicFilter(std::string_view filter);

// Does `filter` match `topic`? Topics beginning with '$' are not matched by a filter whose first
// level is '+' or '#'. Both arguments must be valid; shared-subscription prefixes are not
// understood here (strip them first).
bool topicMatches(std::string_view filter, std::string_view topic);

// Splits "$share/group/filter". Returns false if `filter` is not a shared subscription.
bool parseSharedSubscription(std::string_view filter, std::string_view& group,
                             std::string_view& topic_filter);

}  // namespace hearth::mqtt
