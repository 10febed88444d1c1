// The voice assistant over HTTP (docs/api.md, docs/assistant.md), for a person signed in:
//
//   POST /api/v1/homes/{home}/assistant {"text": "...", "room": ROOM_ID?, "dry_run": false?}
//   → 200 {"interpretation": {"intent", "targets", "property", "value", "direction", "amount",
//          "action", "language", "response"},
//          "results": [{"did", "name", "status": "ok"|"planned"|"offline"|"skipped"|"failed",
//                       "message"?}],
//          "response": "Turned off Kitchen Light. Bedside Lamp is offline."}
//
// The sentence is read against the home as the caller sees it (its rooms, the devices the caller
// may see, their specs and current values); "room" is where the speaker is. Unless dry_run, each
// target that can do what was said gets it through the platform's command path as the caller
// (control permission checked per device, changes audited); the reply waits for the devices'
// answers (5 s each at most). "response" is what to say, in the sentence's language, including
// what failed. 400 for a body that is not such a request, 401 without a token, 404 for a home the
// caller is not in.
//
//   POST /api/v1/homes/{home}/assistant/speech?room=ROOM_ID&dry_run=1  (body: a WAV file)
//   → 200 the same, with "heard": the words recognised ("" when nothing was), and "speech":
//     {"audio_seconds", "decode_seconds", "score", "rejected"}
// English only: ?language=zh is 501 (Debian has no Mandarin recognition model; Chinese goes as
// text). 400 for audio that is not a WAV of speech (with the reason), 503 when recognition is
// not installed.
//
//   POST /api/v1/assistant/voice {"text", "language"?: "en"|"zh"} → 200 audio/wav (espeak-ng);
// the language defaults to that of the text.
//
// Ownership: the routes borrow the services, which must outlive the server. Thread-safety: the
// handlers run on the HTTP threads; device answers arrive on the command service's thread.
#pragma once

#include "hearth/api/auth_routes.h"
#include "hearth/assistant/speech.h"
#include "hearth/home/accounts.h"
#include "hearth/home/device_commands.h"
#include "hearth/home/devices.h"
#include "hearth/home/homes.h"
#include "hearth/http/server.h"
#include "hearth/platform/product_registry.h"
#include "hearth/store/history_store.h"

namespace hearth::api {

// `recognizer` may be null (speech recognition not installed: the speech route answers 503);
// `offload` runs recognition and synthesis off the HTTP threads.
void addAssistantRoutes(http::Server& server, home::Accounts& accounts, home::Homes& homes, home::Devices& devices,
                        platform::ProductRegistry& products, store::HistoryStore& history,
                        home::DeviceCommands& commands, assistant::Recognizer* recognizer, Offload offload);

}  // namespace hearth::api
