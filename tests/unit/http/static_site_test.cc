#include "hearth/http/static_site.h"

#include <gtest/gtest.h>

#include "unit/temp_dir.h"

namespace hearth::http {
namespace {

std::string header(const Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

Request get(std::string path, std::vector<std::pair<std::string, std::string>> headers = {}) {
  Request r;
  r.method = "GET";
  r.target = path;
  r.path = std::move(path);
  r.headers = std::move(headers);
  return r;
}

class StaticSiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_.file("assets"));
    dir_.write("index.html", "<!doctype html><title>Hearth</title>");
    dir_.write("manifest.webmanifest", "{}");
    dir_.write("assets/app-3F2A.js", "console.log(1)");
    dir_.write("assets/app-3F2A.js.gz", "GZIPPED");
    auto site = StaticSite::load(dir_.file(""));
    ASSERT_TRUE(site.isOk()) << site.error().toString();
    site_.emplace(std::move(site).value());
  }

  test::TempDir dir_;
  std::optional<StaticSite> site_;
};

TEST_F(StaticSiteTest, TheIndexIsRevalidatedAndHashedAssetsAreImmutable) {
  const Response index = site_->serve(get("/"));
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(index.body, "<!doctype html><title>Hearth</title>");
  EXPECT_EQ(header(index, "Cache-Control"), "no-cache");
  EXPECT_FALSE(header(index, "ETag").empty());

  const Response app = site_->serve(get("/assets/app-3F2A.js"));
  EXPECT_EQ(app.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(header(app, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(site_->serve(get("/manifest.webmanifest")).content_type, "application/manifest+json");
  EXPECT_EQ(site_->fileCount(), 3u);  // the .gz twin is not a file of its own
}

TEST_F(StaticSiteTest, AnUnchangedFileIsNotSentAgain) {
  const std::string etag = header(site_->serve(get("/index.html")), "ETag");
  const Response again = site_->serve(get("/index.html", {{"If-None-Match", etag}}));
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(site_->serve(get("/index.html", {{"If-None-Match", "\"other\""}})).status, 200);
}

TEST_F(StaticSiteTest, GzipGoesOnlyToClientsThatAcceptIt) {
  const Response zipped = site_->serve(get("/assets/app-3F2A.js", {{"Accept-Encoding", "gzip, deflate, br"}}));
  EXPECT_EQ(zipped.body, "GZIPPED");
  EXPECT_EQ(header(zipped, "Content-Encoding"), "gzip");
  EXPECT_EQ(header(zipped, "Vary"), "Accept-Encoding");
  const Response plain = site_->serve(get("/assets/app-3F2A.js"));
  EXPECT_EQ(plain.body, "console.log(1)");
  EXPECT_EQ(header(plain, "Content-Encoding"), "");
}

TEST_F(StaticSiteTest, PagesOfTheAppGetTheIndexAndEverythingElseIsNotFound) {
  EXPECT_EQ(site_->serve(get("/homes/3/rooms/2")).body, "<!doctype html><title>Hearth</title>");
  EXPECT_EQ(site_->serve(get("/api/v1/nothing")).status, 404);
  EXPECT_EQ(site_->serve(get("/api/v1/nothing")).content_type, "application/json");
  EXPECT_EQ(site_->serve(get("/assets/missing.js")).status, 404);
  EXPECT_EQ(site_->serve(get("/../index.html")).status, 404);
  EXPECT_EQ(site_->serve(get("/assets/../../etc/passwd")).status, 404);
  Request post = get("/index.html");
  post.method = "POST";
  EXPECT_EQ(site_->serve(post).status, 405);
}

TEST(StaticSiteLoadTest, AFolderWithoutAnIndexIsRefused) {
  test::TempDir empty;
  const auto site = StaticSite::load(empty.file(""));
  ASSERT_FALSE(site.isOk());
  EXPECT_NE(site.error().message().find("no index.html"), std::string::npos);
}

}  // namespace
}  // namespace hearth::http
