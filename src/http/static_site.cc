#include "hearth/http/static_site.h"

#include <fstream>
#include <sstream>
#include <string_view>

#include "hearth/core/secrets.h"

namespace hearth::http {

namespace {

std::string_view contentType(std::string_view extension) {
  static const std::map<std::string_view, std::string_view> kTypes = {
      {".html", "text/html; charset=utf-8"},   {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},     {".json", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},               {".png", "image/png"},
      {".ico", "image/x-icon"},                {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},   {".map", "application/json"}};
  const auto it = kTypes.find(extension);
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

bool readFile(const std::filesystem::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream text;
  text << in.rdbuf();
  out = std::move(text).str();
  return true;
}

bool acceptsGzip(const Request& request) {
  const std::string_view accept = request.header("Accept-Encoding");
  return accept.find("gzip") != std::string_view::npos;
}

// Paths the app's own pages may have: not the API's, no dot anywhere (no file name, no ".."
// segment).
bool looksLikePage(std::string_view path) {
  for (std::string_view api : {"/api/", "/app/", "/metrics"}) {
    if (path.substr(0, api.size()) == api) return false;
  }
  return path.find('.') == std::string_view::npos;
}

}  // namespace

core::Result<StaticSite> StaticSite::load(const std::filesystem::path& root) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(root / "index.html", ec)) {
    return core::Status::notFound("web_root " + root.string() + ": no index.html (build the web app: make build)");
  }
  StaticSite site;
  for (std::filesystem::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file() || it->path().extension() == ".gz") continue;
    File file;
    if (!readFile(it->path(), file.body)) return core::Status::ioError("web_root: cannot read " + it->path().string());
    const std::filesystem::path gz = it->path().string() + ".gz";
    if (std::filesystem::exists(gz) && !readFile(gz, file.gzip)) {
      return core::Status::ioError("web_root: cannot read " + gz.string());
    }
    const std::string relative = std::filesystem::relative(it->path(), root).generic_string();
    file.content_type = std::string(contentType(it->path().extension().string()));
    file.etag = "\"" + core::blake2bHex(file.body).substr(0, 20) + "\"";
    file.immutable = relative.rfind("assets/", 0) == 0;
    site.files_.emplace("/" + relative, std::move(file));
  }
  if (ec) return core::Status::ioError("web_root " + root.string() + ": " + ec.message());
  return site;
}

Response StaticSite::serve(const Request& request) const {
  if (request.method != "GET") return errorResponse(405, "method not allowed");
  std::string_view path = request.path;
  if (path == "/") path = "/index.html";
  // Only exact names of loaded files are served: "..", "." or a doubled slash name nothing.
  if (auto it = files_.find(path); it != files_.end()) return answer(request, it->second);
  if (looksLikePage(request.path)) return answer(request, files_.find(std::string_view("/index.html"))->second);
  return errorResponse(404, "not found");
}

Response StaticSite::answer(const Request& request, const File& file) const {
  Response r{200, file.content_type, {}, {}};
  r.headers.emplace_back("ETag", file.etag);
  r.headers.emplace_back("Cache-Control", file.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  if (!file.gzip.empty()) r.headers.emplace_back("Vary", "Accept-Encoding");
  if (request.header("If-None-Match") == file.etag) {
    r.status = 304;
    return r;
  }
  if (!file.gzip.empty() && acceptsGzip(request)) {
    r.headers.emplace_back("Content-Encoding", "gzip");
    r.body = file.gzip;
  } else {
    r.body = file.body;
  }
  return r;
}

}  // namespace hearth::http
