// hearth: the command-line tool. Sub-commands are added by the components they belong to.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>

#include "hearth/core/config.h"
#include "hearth/mqtt/broker.h"
#include "hearth/mqtt/file_auth.h"
#include "assistant_command.h"
#include "device_commands.h"
#include "home_commands.h"
#include "import_command.h"
#include "retention_command.h"
#include "sim_command.h"
#include "spec_commands.h"
#include "stats_command.h"
#include "user_commands.h"

int main(int argc, char** argv) {
  CLI::App app{"hearth: command-line tool for the Hearth smart-home platform"};
  app.require_subcommand(1);

  auto* version = app.add_subcommand("version", "Print the version");
  version->callback([] { std::puts("hearth 0.1.0"); });

  // hearth passwd FILE USERNAME [--password P | --delete]: maintains an MQTT password file.
  auto* passwd = app.add_subcommand("passwd", "Add, update or delete a user in an MQTT password file");
  std::string passwd_file;
  std::string passwd_user;
  std::string passwd_password;
  bool passwd_delete = false;
  passwd->add_option("file", passwd_file, "Password file (auth.password_file)")->required();
  passwd->add_option("username", passwd_user, "User name")->required();
  auto* password_option = passwd->add_option(
      "--password", passwd_password, "Password; read from standard input when absent (safer: not in ps)");
  passwd->add_flag("--delete", passwd_delete, "Remove the user")->excludes(password_option);
  int exit_code = 0;
  passwd->callback([&] {
    hearth::core::Status status;
    if (passwd_delete) {
      status = hearth::mqtt::removePasswordFileUser(passwd_file, passwd_user);
    } else {
      if (password_option->count() == 0) {
        auto password = hearth::mqtt::readPasswordFromStdin();
        if (!password) {
          std::fprintf(stderr, "hearth passwd: %s\n", password.error().toString().c_str());
          exit_code = 1;
          return;
        }
        passwd_password = std::move(password).value();
      }
      status = hearth::mqtt::setPasswordFileUser(passwd_file, passwd_user, passwd_password);
    }
    if (!status.isOk()) {
      std::fprintf(stderr, "hearth passwd: %s\n", status.toString().c_str());
      exit_code = 1;
    }
  });

  hearth::cli::addSpecCommands(app, exit_code);
  hearth::cli::addSpecImportCommand(*app.get_subcommand("spec"), exit_code);
  hearth::cli::addSpecRetentionCommand(*app.get_subcommand("spec"), exit_code);
  hearth::cli::addDeviceCommands(app, exit_code);
  hearth::cli::addUserCommands(app, exit_code);
  hearth::cli::addHomeCommands(app, exit_code);
  hearth::cli::addStatsCommand(app, exit_code);
  hearth::cli::addSimCommand(app, exit_code);
  hearth::cli::addAssistantCommand(app, exit_code);

  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
