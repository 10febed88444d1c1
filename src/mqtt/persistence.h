// How the broker's state maps onto StateStore records, and how it is restored at start-up.
//
// Keys (client ids and topics are UTF-8 without U+0000, so '\0' separates safely):
//   S<client>                 session: expiry, username, subscriptions, next sequence number
//   Q<client>\0<seq:be64>     a QoS 1/2 delivery queued or in flight: delivery header + message
//   I<client>\0<seq:be64>     the packet id and stage of a delivery once sent
//   P<client>\0<id:be16>      a QoS 2 packet id received, awaiting PUBREL
//   R<topic>                  a retained message
// Only sessions with a non-zero expiry interval are written: the others end with their connection.
// Records are written in the order the state changes, under the session's lock, so a restart sees
// a consistent prefix of each session's history.
//
// Thread-safety: like StateStore, any thread. Methods named "...Locked" need the session's lock.
#pragma once

#include <cstdint>
#include <string>

#include "hearth/core/clock.h"
#include "hearth/mqtt/state_store.h"
#include "mqtt/message.h"
#include "mqtt/session.h"

namespace hearth::mqtt {

class RetainedStore;
class SessionRegistry;
class SubscriptionIndex;

class Persistence {
 public:
  Persistence(StateStore& store, const core::Clock& clock) : store_(store), clock_(clock) {}

  StateStore& store() { return store_; }
  int64_t unixMillis() const { return clock_.unixMillis(); }

  // A delivery joined a persistent session's queue (delivery.seq is set).
  void queuedLocked(const Session& s, const Delivery& d);
  // A queued delivery was sent with `packet_id` and now waits for `stage`.
  void sentLocked(const Session& s, const Inflight& f);
  // PUBREC arrived: only the PUBREL remains, the message itself can go.
  void releasedLocked(const Session& s, const Inflight& f);
  // PUBACK / PUBCOMP arrived, or the message was dropped: forget the delivery.
  void completedLocked(const Session& s, uint64_t seq);
  // A QoS 2 message from the client was accepted (add) or released by PUBREL (remove).
  void incomingQos2Locked(const Session& s, uint16_t packet_id, bool add);
  // The session's own record: expiry, username, subscriptions.
  void sessionLocked(const Session& s);
  // Everything a session left behind: queue, in-flight, ids, the record itself.
  void sessionEndedLocked(const Session& s);
  // Writes everything a session holds now (it just became persistent).
  // Deliveries without a sequence number get one.
  void snapshotLocked(Session& s);
  // A retained message was set, or deleted (empty payload).
  void retained(const Message& m);
  // `done` runs once everything submitted before it is durable, or with kResourceExhausted when a
  // record this thread submitted since its last barrier was refused (the store is overloaded).
  void barrier(StateStore::Done done);

  // Start-up: restores retained messages and sessions (offline, with their subscriptions in the
  // index). A record that does not decode is logged, counted in the returned status message and
  // skipped; the rest still loads.
  core::Status load(SessionRegistry& sessions, SubscriptionIndex& index, RetainedStore& retained);

  // Record formats, exposed for tests and the fuzz target.
  std::string encodeMessage(const Message& m) const;
  // encodeMessage, computed once per message and kept with it.
  const std::string& storedForm(const Message& m) const;
  core::Result<MessagePtr> decodeMessage(std::string_view bytes) const;

 private:
  // Queues records; a refusal (the store is overloaded) fails this thread's next barrier().
  void write(std::vector<StateWrite> writes);

  StateStore& store_;
  const core::Clock& clock_;
};

}  // namespace hearth::mqtt
