#include "hearth/mqtt/file_auth.h"

#include <sodium.h>

#include <array>
#include <atomic>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "mqtt/auth/acl.h"
#include "mqtt/auth/password_file.h"
#include "mqtt/auth/verify_pool.h"

namespace hearth::mqtt {
namespace {

// Same text for a wrong password and an unknown user, so the reply does not reveal which.
constexpr std::string_view kBadCredentials = "bad user name or password";

using Digest = std::array<unsigned char, crypto_generichash_BYTES>;

AuthDecision failure(ReasonCode reason, std::string_view text) {
  return AuthDecision{reason, std::string(text), {}};
}

// What one reading of the files produced. Immutable once published, except the login cache,
// which lives here so that swapping in a new snapshot on reload() empties it.
struct Snapshot {
  bool verify_passwords = false;
  PasswordTable users;
  // An existing user's hash, verified for unknown users so that they take as long to reject.
  std::string decoy_hash;
  std::optional<Acl> acl;

  mutable std::mutex cache_mutex;
  mutable std::unordered_map<std::string, Digest, StringHash, std::equal_to<>> cache;
};

}  // namespace

std::vector<core::OptionSpec> authOptionSpecs() {
  using core::OptionKind;
  return {
      {"auth.password_file", OptionKind::kString, "",
       "Password file (`hearth passwd` writes it) for MQTT clients that are neither devices nor apps. "
       "Empty: user names are not verified and every such client is anonymous."},
      {"auth.acl_file", OptionKind::kString, "",
       "ACL file of user, topic and pattern rules for those clients. Empty: admitted clients may use "
       "every topic but device/ (which only devices, apps and, for the anonymous, nobody may read)."},
      {"auth.allow_anonymous", OptionKind::kBool, "false",
       "Admit MQTT clients without verified credentials (no user name, or no password file). They "
       "never get anything under device/, whatever the ACL says."},
  };
}

FileAuthOptions fileAuthOptionsFromConfig(const core::Config& config) {
  FileAuthOptions o;
  o.password_file = config.getString("auth.password_file");
  o.acl_file = config.getString("auth.acl_file");
  o.allow_anonymous = config.getBool("auth.allow_anonymous");
  return o;
}

struct FileAuth::Impl {
  explicit Impl(FileAuthOptions o) : options(std::move(o)) {}

  std::shared_ptr<Snapshot> readFiles() const {
    auto snap = std::make_shared<Snapshot>();
    if (!options.password_file.empty()) {
      snap->verify_passwords = true;
      snap->users = loadPasswordFile(options.password_file);
      if (!snap->users.empty()) snap->decoy_hash = snap->users.begin()->second;
    }
    if (!options.acl_file.empty()) snap->acl = Acl::load(options.acl_file);
    return snap;
  }

  Digest digestOf(std::string_view password) const {
    Digest d{};
    crypto_generichash(d.data(), d.size(), reinterpret_cast<const unsigned char*>(password.data()),
                       password.size(), cache_key.data(), cache_key.size());
    return d;
  }

  bool cacheHit(const Snapshot& snap, std::string_view user, const Digest& digest) const {
    std::lock_guard lock(snap.cache_mutex);
    auto it = snap.cache.find(user);
    return it != snap.cache.end() && sodium_memcmp(it->second.data(), digest.data(), digest.size()) == 0;
  }

  void cacheStore(const Snapshot& snap, const std::string& user, const Digest& digest) const {
    std::lock_guard lock(snap.cache_mutex);
    // Bounded by clearing: cheap, and a cold cache only costs re-verification.
    if (snap.cache.size() >= options.cache_capacity) snap.cache.clear();
    snap.cache.insert_or_assign(user, digest);
  }

  void publish(std::shared_ptr<Snapshot> fresh) {
    std::shared_ptr<Snapshot> old;
    {
      std::lock_guard lock(snapshot_mutex);
      old = std::exchange(current, std::move(fresh));
      generation.fetch_add(1, std::memory_order_release);
    }
  }  // the old snapshot dies here, outside the lock, unless a reader still holds it

  // The current snapshot, through a per-thread cache that is revalidated with a single atomic
  // load: allowed() runs once per PUBLISH on every event loop, and copying a shared_ptr (or
  // taking a read lock) there would bounce one cache line between all cores. The reference is
  // valid until this thread next calls snapshot() (for any FileAuth); copy it to keep it longer.
  // (std::atomic<std::shared_ptr> would do, but libstdc++ 12's load() releases its internal
  // lock with relaxed ordering, which ThreadSanitizer reports as a race.)
  const std::shared_ptr<Snapshot>& snapshot() const {
    struct Cached {
      uint64_t instance = 0;
      uint64_t generation = 0;
      std::shared_ptr<Snapshot> snap;
    };
    thread_local Cached cached;
    uint64_t seen = generation.load(std::memory_order_acquire);
    if (cached.instance != instance_id || cached.generation != seen) {
      std::lock_guard lock(snapshot_mutex);
      cached.snap = current;
      cached.generation = generation.load(std::memory_order_relaxed);
      cached.instance = instance_id;
    }
    return cached.snap;
  }

  static uint64_t nextInstanceId() {
    static std::atomic<uint64_t> next{1};
    return next.fetch_add(1, std::memory_order_relaxed);
  }

  const FileAuthOptions options;
  // Never reused, so a thread's cached snapshot cannot be mistaken for another instance's.
  const uint64_t instance_id = nextInstanceId();
  // Random per process: the cached digests are useless outside it.
  std::array<unsigned char, crypto_generichash_KEYBYTES> cache_key{};
  mutable std::mutex snapshot_mutex;
  std::shared_ptr<Snapshot> current;   // guarded by snapshot_mutex
  std::atomic<uint64_t> generation{0};  // bumped, under snapshot_mutex, whenever `current` changes
  std::mutex reload_mutex;
  std::atomic<uint64_t> cache_hits{0};
  std::atomic<uint64_t> verifications{0};
  std::atomic<uint64_t> busy_rejections{0};
  // Last: destroyed first, so no verification runs while the rest is torn down.
  std::unique_ptr<VerifyPool> pool;
};

namespace {

// One queued verification. The password copy is wiped when the job dies, whichever way.
struct VerifyJob {
  std::shared_ptr<Snapshot> snap;
  std::string username;
  std::string password;
  std::string hash;
  bool known_user = false;
  Digest digest{};
  std::function<void(AuthDecision)> done;

  ~VerifyJob() { sodium_memzero(password.data(), password.size()); }
};

}  // namespace

FileAuth::FileAuth(FileAuthOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  if (sodium_init() < 0) throw core::ConfigError("libsodium failed to initialise");
  crypto_generichash_keygen(impl_->cache_key.data());
  impl_->publish(impl_->readFiles());
  // Without a password file nothing is verified (every client is anonymous): no threads.
  if (!impl_->options.password_file.empty()) {
    impl_->pool = std::make_unique<VerifyPool>(impl_->options.verify_threads,
                                               impl_->options.verify_queue_capacity);
  }
}

FileAuth::~FileAuth() {
  impl_->pool.reset();
  sodium_memzero(impl_->cache_key.data(), impl_->cache_key.size());
}

void FileAuth::authenticate(const ConnectCredentials& credentials,
                            std::function<void(AuthDecision)> done) {
  std::shared_ptr<Snapshot> snap = impl_->snapshot();  // a copy: `done` may re-enter
  bool anonymous = !snap->verify_passwords || !credentials.username || credentials.username->empty();
  if (anonymous) {
    if (impl_->options.allow_anonymous) {
      done(AuthDecision{ReasonCode::kSuccess, {}, {}});
    } else {
      done(failure(ReasonCode::kNotAuthorized, "anonymous clients are not allowed (auth.allow_anonymous)"));
    }
    return;
  }
  std::string_view user = *credentials.username;
  if (!credentials.password) {
    done(failure(ReasonCode::kBadUserNameOrPassword, kBadCredentials));
    return;
  }
  std::string_view password = *credentials.password;
  Digest digest = impl_->digestOf(password);
  if (impl_->cacheHit(*snap, user, digest)) {
    impl_->cache_hits.fetch_add(1, std::memory_order_relaxed);
    done(AuthDecision{ReasonCode::kSuccess, {}, std::string(user)});
    return;
  }

  auto job = std::make_shared<VerifyJob>();
  auto it = snap->users.find(user);
  job->known_user = it != snap->users.end();
  job->hash = job->known_user ? it->second : snap->decoy_hash;
  if (job->hash.empty()) {  // no users at all: nothing to time against, nothing to leak
    done(failure(ReasonCode::kBadUserNameOrPassword, kBadCredentials));
    return;
  }
  job->snap = std::move(snap);
  job->username = std::string(user);
  job->password = std::string(password);
  job->digest = digest;
  job->done = std::move(done);

  Impl* impl = impl_.get();
  bool queued = impl->pool->trySubmit([impl, job](bool run) {
    if (!run) {
      job->done(failure(ReasonCode::kServerUnavailable, "server shutting down"));
      return;
    }
    bool match = core::verifyPassword(job->hash, job->password);
    impl->verifications.fetch_add(1, std::memory_order_relaxed);
    // A decoy match (an unknown user typing another user's password) is still a failure.
    if (match && job->known_user) {
      impl->cacheStore(*job->snap, job->username, job->digest);
      job->done(AuthDecision{ReasonCode::kSuccess, {}, job->username});
    } else {
      job->done(failure(ReasonCode::kBadUserNameOrPassword, kBadCredentials));
    }
  });
  if (!queued) {
    impl->busy_rejections.fetch_add(1, std::memory_order_relaxed);
    job->done(failure(ReasonCode::kServerBusy, "too many logins in progress, retry later"));
  }
}

bool FileAuth::allowed(const ClientIdentity& client, AccessKind kind, std::string_view topic) {
  const Snapshot& snap = *impl_->snapshot();
  return !snap.acl || snap.acl->allowed(client, kind, topic);
}

core::Status FileAuth::reload() {
  std::lock_guard lock(impl_->reload_mutex);
  std::shared_ptr<Snapshot> fresh;
  try {
    fresh = impl_->readFiles();
  } catch (const core::ConfigError& e) {
    return core::Status::invalidArgument(e.what());
  }
  impl_->publish(std::move(fresh));
  return core::Status::ok();
}

FileAuth::Stats FileAuth::stats() const {
  return Stats{impl_->cache_hits.load(std::memory_order_relaxed),
               impl_->verifications.load(std::memory_order_relaxed),
               impl_->busy_rejections.load(std::memory_order_relaxed)};
}

}  // namespace hearth::mqtt
