#include "user_commands.h"

#include <cstdio>
#include <memory>
#include <string>

#include "hearth/home/accounts.h"
#include "hearth/mqtt/file_auth.h"
#include "registry_open.h"

namespace hearth::cli {
namespace {

struct UserOptions {
  std::string email;
  std::string password;
  bool admin = false;
  std::string data_dir = "./var";
};

int fail(const std::string& message) {
  std::fprintf(stderr, "hearth user: %s\n", message.c_str());
  return 1;
}

int runAdd(UserOptions& o, bool password_given) {
  if (!password_given) {
    auto password = mqtt::readPasswordFromStdin();
    if (!password) return fail(password.error().toString());
    o.password = std::move(password).value();
  }
  auto registry = openRegistry(o.data_dir, "user add");
  if (!registry) return 1;
  home::Accounts accounts(*registry, core::SystemClock::instance());
  auto user = accounts.signUp(o.email, o.password, o.admin);
  if (!user) return fail(user.error().message());
  std::printf("user %lld %s%s\n", static_cast<long long>(user.value().id), user.value().email.c_str(),
              user.value().admin ? " (admin)" : "");
  return 0;
}

int runList(const UserOptions& o) {
  auto registry = openRegistry(o.data_dir, "user list");
  if (!registry) return 1;
  for (int64_t after = 0;;) {
    auto page = registry->listUsers(after, 500);
    if (!page) return fail(page.error().toString());
    for (const auto& u : page.value()) {
      std::printf("%lld  %s%s\n", static_cast<long long>(u.id), u.email.c_str(), u.admin ? "  (admin)" : "");
    }
    if (page.value().size() < 500) return 0;
    after = page.value().back().id;
  }
}

}  // namespace

void addUserCommands(CLI::App& app, int& exit_code) {
  auto* user = app.add_subcommand("user", "People's accounts");
  user->require_subcommand(1);
  auto* add = user->add_subcommand("add", "Create an account (the first operator: --admin)");
  auto o = std::make_shared<UserOptions>();
  add->add_option("email", o->email, "The account's email address")->required();
  auto* password = add->add_option("--password", o->password,
                                   "Password; read from standard input when absent (safer: not in ps)");
  add->add_flag("--admin", o->admin, "An operator of this Hearth");
  add->add_option("--data-dir", o->data_dir, "Data directory (server.data_dir)")->capture_default_str();
  add->callback([o, password, &exit_code] { exit_code = runAdd(*o, password->count() != 0); });
  auto* list = user->add_subcommand("list", "List accounts: id, email, whether an operator");
  list->add_option("--data-dir", o->data_dir, "Data directory (server.data_dir)")->capture_default_str();
  list->callback([o, &exit_code] { exit_code = runList(*o); });
}

}  // namespace hearth::cli
