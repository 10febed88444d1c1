// The web app's built files (web/dist), served by hearthd at / (http.web_root).
//
// Everything is read into memory at start-up (the app is a few hundred KB): no disk I/O on the
// request path, and an ETag per file from its content. Caching follows how the build names
// files: under assets/ names carry a content hash, so they are cached for a year as immutable;
// everything else (index.html, the manifest, the service worker) is revalidated each time
// (no-cache, with the ETag: 304 when unchanged). A file built with a gzip twin (name.gz) is sent
// compressed to clients that accept gzip. A path without a file that looks like one of the app's
// pages (no extension, not under /api/, /app/ or /metrics) gets index.html, so deep links work.
//
// Thread-safety: immutable after load(); serve() is safe from any thread. Errors: load() says
// which folder or file could not be read; serve() answers 404 (JSON) for what it does not have
// and 405 for methods other than GET.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "hearth/core/status.h"
#include "hearth/http/server.h"

namespace hearth::http {

class StaticSite {
 public:
  // Reads every file under `root` (which must hold index.html).
  static core::Result<StaticSite> load(const std::filesystem::path& root);

  Response serve(const Request& request) const;
  size_t fileCount() const { return files_.size(); }

 private:
  struct File {
    std::string content_type;
    std::string etag;
    std::string body;
    std::string gzip;  // the precompressed twin, or empty
    bool immutable = false;
  };

  Response answer(const Request& request, const File& file) const;

  std::map<std::string, File, std::less<>> files_;  // by URL path: "/index.html", "/assets/app-3f2a.js"
};

}  // namespace hearth::http
