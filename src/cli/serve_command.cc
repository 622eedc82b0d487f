// safeval serve [--store PATH] [--host 127.0.0.1] [--port 8080]: the web UI (docs/web-ui.md)
// over an existing store, until Ctrl-C or SIGTERM.
#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include "cli/command.h"
#include "cli/run_report.h"
#include "core/terminal_text.h"
#include "server/http_server.h"
#include "server/web_app.h"
#include "store/annotation_store.h"
#include "store/open_store.h"
#include "taxonomy/taxonomy.h"

namespace safeval {
namespace {

struct ServeFlags {
  std::string store = "runs/safeval.db";
  std::string host = "127.0.0.1";
  int port = 8080;
};

Status Serve(const ServeFlags& flags, CliContext& context) {
  std::error_code ec;
  if (!IsPostgresUrl(flags.store) && !std::filesystem::is_regular_file(flags.store, ec)) {
    return Status::NotFound("no store at '" + flags.store + "' (use --store PATH|URL)");
  }
  SV_ASSIGN_OR_RETURN(Stores stores, OpenStores(flags.store));
  // Hazard names on run pages: the built-in taxonomy (AILuminate's hazards, finer categories).
  SV_ASSIGN_OR_RETURN(Taxonomy taxonomy, Taxonomy::Resolve("builtin:safeval-v1", "."));
  WebAppOptions options;
  options.runs = stores.runs.get();
  options.annotations = stores.annotations.get();
  options.taxonomy = &taxonomy;
  options.store_label = StoreLabel(flags.store);
  options.safeval_version = SafevalVersionString();
  WebApp app(std::move(options));
  HttpServer server(app);
  SV_RETURN_IF_ERROR(server.Start(flags.host, flags.port));
  *context.err << "safeval: serving " << TerminalText(StoreLabel(flags.store)) << " at http://"
               << TerminalText(flags.host) << ":" << server.port() << "/ (Ctrl-C to stop)"
               << std::endl;
  while (context.cancel == nullptr || !context.cancel->load())
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  server.Stop();
  return Status::Ok();
}

}  // namespace

void SetupServeCommand(CLI::App& sub, CliContext& context) {
  auto flags = std::make_shared<ServeFlags>();
  sub.add_option("--store", flags->store, "The store: a SQLite file or a postgresql:// URL")
      ->type_name("PATH|URL")
      ->capture_default_str();
  sub.add_option("--host", flags->host, "The address to listen on")->capture_default_str();
  sub.add_option("--port", flags->port, "The port (0: any free port)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  sub.callback([flags, &context] {
    Status served = Serve(*flags, context);
    if (!served.ok()) context.Fail(served);
  });
}

}  // namespace safeval
