#include "home_commands.h"

#include <boost/json.hpp>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "hearth/home/accounts.h"
#include "hearth/home/homes.h"
#include "registry_open.h"

namespace hearth::cli {
namespace {

namespace json = boost::json;

struct HomeOptions {
  std::string email;
  std::string name;
  std::vector<std::string> rooms;
  std::string data_dir = "./var";
};

int fail(const char* command, const core::Status& status) {
  std::fprintf(stderr, "hearth home %s: %s\n", command, status.toString().c_str());
  return 1;
}

// The account of an email, for acting as that person.
core::Result<store::UserRecord> accountOf(store::SqliteRegistry& registry, std::string_view email) {
  auto normalised = home::Accounts::normaliseEmail(email);
  if (!normalised) return normalised.error();
  return registry.userByEmail(normalised.value());
}

json::object homeJson(const home::HomeDetail& d) {
  json::array rooms;
  for (const auto& r : d.rooms) rooms.push_back(json::object{{"id", r.id}, {"name", r.name}});
  return json::object{{"id", d.home.id},
                      {"name", d.home.name},
                      {"role", store::homeRoleName(d.role)},
                      {"rooms", std::move(rooms)}};
}

int runList(const HomeOptions& o) {
  auto registry = openRegistry(o.data_dir, "home list");
  if (!registry) return 1;
  auto user = accountOf(*registry, o.email);
  if (!user) return fail("list", user.error());
  home::DeviceRelease release(*registry, *registry, *registry, nullptr);  // no home is deleted here
  home::Homes homes(*registry, release, core::SystemClock::instance());
  for (int64_t after = 0;;) {
    auto page = homes.list(user.value().id, after, home::Homes::kMaxPage);
    if (!page) return fail("list", page.error());
    for (const auto& summary : page.value()) {
      auto detail = homes.get(user.value().id, summary.home.id);
      if (!detail) return fail("list", detail.error());
      std::printf("%s\n", json::serialize(homeJson(detail.value())).c_str());
    }
    if (page.value().size() < home::Homes::kMaxPage) return 0;
    after = page.value().back().home.id;
  }
}

int runCreate(const HomeOptions& o) {
  auto registry = openRegistry(o.data_dir, "home create");
  if (!registry) return 1;
  auto user = accountOf(*registry, o.email);
  if (!user) return fail("create", user.error());
  // Every name first: a bad room name must not leave a home behind.
  for (const std::string& room : o.rooms) {
    if (auto checked = home::Homes::checkName(room); !checked) return fail("create", checked.error());
  }
  home::DeviceRelease release(*registry, *registry, *registry, nullptr);  // no home is deleted here
  home::Homes homes(*registry, release, core::SystemClock::instance());
  auto created = homes.create(user.value().id, o.name);
  if (!created) return fail("create", created.error());
  for (const std::string& room : o.rooms) {
    if (auto added = homes.addRoom(user.value().id, created.value().id, room); !added) {
      return fail("create", added.error());
    }
  }
  auto detail = homes.get(user.value().id, created.value().id);
  if (!detail) return fail("create", detail.error());
  std::printf("%s\n", json::serialize(homeJson(detail.value())).c_str());
  return 0;
}

}  // namespace

void addHomeCommands(CLI::App& app, int& exit_code) {
  auto* home = app.add_subcommand("home", "People's homes and rooms");
  home->require_subcommand(1);
  auto o = std::make_shared<HomeOptions>();

  auto* list = home->add_subcommand("list", "The homes of an account, with their rooms, as JSON lines");
  list->add_option("email", o->email, "The account's email")->required();
  list->add_option("--data-dir", o->data_dir, "Data directory (server.data_dir)")->capture_default_str();
  list->callback([o, &exit_code] { exit_code = runList(*o); });

  auto* create = home->add_subcommand("create", "Create a home owned by an account, with rooms; prints it as JSON");
  create->add_option("email", o->email, "The owner's email")->required();
  create->add_option("name", o->name, "The home's name")->required();
  create->add_option("--room", o->rooms, "A room to add (repeat for several)");
  create->add_option("--data-dir", o->data_dir, "Data directory (server.data_dir)")->capture_default_str();
  create->callback([o, &exit_code] { exit_code = runCreate(*o); });
}

}  // namespace hearth::cli
