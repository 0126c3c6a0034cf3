// How quickly the captures list and the dashboard answer with a large database (issue
// 6: a million captures, p95 under 100 ms). Calls the web Router in-process, as a
// request reaches it after TLS and HTTP parsing, so the figures are the handler's and
// SQLite's time — what grows with the number of captures.
//
//   hallmonitor replay tools/sample/school-morning.pcap --data-dir DIR
//   tests/bench/make_captures.py DIR
//   web_bench DIR [REQUESTS]
//
// Signs in as a benchmark headteacher (made at setup if the folder has none yet).
// Prints, per kind of request, p50/p95/p99/max in ms over REQUESTS calls (default 200).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/accounts.h"
#include "store/dashboard_queries.h"
#include "store/database.h"
#include "store/incident_repository.h"
#include "web/database_pool.h"
#include "web/router.h"

namespace {

using namespace hm;

constexpr std::string_view kUser = "bench.head";
constexpr std::string_view kPassword = "benchmark password at noon";

struct Bench {
  web::Router& router;
  std::string cookie;

  web::Response get(const std::string& path, std::map<std::string, std::string> query = {}) {
    web::Request request;
    request.method = "GET";
    request.path = path;
    request.query = std::move(query);
    request.cookie = cookie;
    request.host = "127.0.0.1:8443";
    return router.handle(request);
  }
};

std::string sign_in(web::Router& router, const std::filesystem::path& data_dir) {
  {
    auto db = store::Database::open(data_dir);
    if (!db) {
      std::cerr << "web_bench: " << db.error() << '\n';
      std::exit(1);
    }
    if (!store::setup_complete(**db)) {
      const auto done = store::Accounts(**db).complete_setup(
          store::ensure_setup_code(**db),
          {std::string(kUser), "Benchmark", store::Role::headteacher, std::string(kPassword)});
      if (done.outcome != store::SetupResult::Outcome::done) {
        std::cerr << "web_bench: setup failed: " << done.message << '\n';
        std::exit(1);
      }
    }
  }
  web::Request login;
  login.method = "POST";
  login.path = "/api/login";
  login.content_type = "application/json";
  login.host = "127.0.0.1:8443";
  login.origin = "https://127.0.0.1:8443";
  login.body = nlohmann::json{{"username", kUser}, {"password", kPassword}}.dump();
  const web::Response answer = router.handle(login);
  if (answer.status != 200) {
    std::cerr << "web_bench: cannot sign in as " << kUser << " (" << answer.status
              << "): a folder set up by someone else needs that account\n";
    std::exit(1);
  }
  for (const auto& [name, value] : answer.headers) {
    if (name == "Set-Cookie") return value.substr(0, value.find(';'));
  }
  return {};
}

double percentile(std::vector<double> samples, double p) {
  std::sort(samples.begin(), samples.end());
  const auto at = static_cast<std::size_t>(p * static_cast<double>(samples.size() - 1) + 0.5);
  return samples[std::min(at, samples.size() - 1)];
}

// Times `requests` calls of `call`, which returns the status; any status but 200 stops.
void measure(const std::string& name, int requests, const std::function<int(int)>& call) {
  std::vector<double> ms;
  ms.reserve(static_cast<std::size_t>(requests));
  for (int i = 0; i < requests; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const int status = call(i);
    const auto end = std::chrono::steady_clock::now();
    if (status != 200) {
      std::cerr << "web_bench: " << name << " answered " << status << '\n';
      std::exit(1);
    }
    ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
  }
  std::printf("%-34s %6d %8.2f %8.2f %8.2f %8.2f\n", name.c_str(), requests, percentile(ms, 0.5),
              percentile(ms, 0.95), percentile(ms, 0.99), *std::max_element(ms.begin(), ms.end()));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: web_bench DATA_DIR [REQUESTS]\n";
    return 2;
  }
  const std::filesystem::path data_dir = argv[1];
  const int requests = argc > 2 ? std::max(1, std::atoi(argv[2])) : 200;
  web::DatabasePool pool(data_dir);
  web::Router router(pool);
  Bench bench{router, sign_in(router, data_dir)};

  std::int64_t captures = 0;
  std::vector<std::string> devices;
  std::vector<std::string> person_ids;
  std::vector<std::string> group_ids;
  std::int64_t newest = 0;
  {
    auto db = store::Database::open(data_dir, store::Database::Mode::read_only);
    store::Statement count(**db, "SELECT count(*), coalesce(max(ts_us), 0) FROM captures;");
    if (count.step()) {
      captures = count.column_int(0);
      newest = count.column_int(1);
    }
    // Devices from busy to quiet, for the device filter.
    store::Statement macs(**db,
                          "SELECT client_mac FROM captures WHERE client_mac IS NOT NULL "
                          "AND id % 997 = 0 GROUP BY client_mac ORDER BY count(*) DESC;");
    while (macs.step()) devices.push_back(macs.column_text(0));
    // People and groups the generator made (none in a folder without them).
    store::Statement people(**db, "SELECT id FROM people ORDER BY id LIMIT 100;");
    while (people.step()) person_ids.push_back(std::to_string(people.column_int(0)));
    store::Statement groups(**db, "SELECT id FROM people_groups ORDER BY id;");
    while (groups.step()) group_ids.push_back(std::to_string(groups.column_int(0)));
  }
  if (devices.empty()) devices.push_back("3c:22:fb:00:00:01");
  std::printf("%lld captures in %s\n\n", static_cast<long long>(captures), data_dir.c_str());
  std::printf("%-34s %6s %8s %8s %8s %8s\n", "request", "n", "p50 ms", "p95 ms", "p99 ms",
              "max ms");

  const char* categories[] = {"suicide", "bullying", "gambling", "grooming", "self-harm"};
  const char* statuses[] = {"new", "reviewed", "false_positive", "incident"};
  measure("captures, first page", requests, [&](int) { return bench.get("/api/captures").status; });
  measure("captures, severity", requests, [&](int i) {
    return bench.get("/api/captures", {{"severity", std::to_string(1 + i % 5)}}).status;
  });
  measure("captures, category", requests, [&](int i) {
    return bench.get("/api/captures", {{"category", categories[i % 5]}}).status;
  });
  measure("captures, status", requests, [&](int i) {
    return bench.get("/api/captures", {{"status", statuses[i % 4]}}).status;
  });
  measure("captures, device", requests, [&](int i) {
    return bench.get("/api/captures", {{"device", devices[i % devices.size()]}}).status;
  });
  if (!person_ids.empty()) {
    measure("captures, person", requests, [&](int i) {
      return bench.get("/api/captures", {{"person", person_ids[i % person_ids.size()]}}).status;
    });
  }
  if (!group_ids.empty()) {
    measure("captures, group", requests, [&](int i) {
      return bench.get("/api/captures", {{"group", group_ids[i % group_ids.size()]}}).status;
    });
  }
  constexpr std::int64_t kDay = 86'400'000'000;
  measure("captures, one week a month ago", requests, [&](int i) {
    const std::int64_t until = newest - (30 + i % 60) * kDay;
    return bench
        .get("/api/captures",
             {{"from_us", std::to_string(until - 7 * kDay)}, {"until_us", std::to_string(until)}})
        .status;
  });
  measure("captures, critical + category", requests, [&](int i) {
    return bench.get("/api/captures", {{"severity", "5"}, {"category", categories[i % 5]}}).status;
  });
  measure("captures, new + critical", requests, [&](int) {
    return bench.get("/api/captures", {{"status", "new"}, {"severity", "5"}}).status;
  });
  // Deep pages: follow the cursor from the first page, 50 rows a time, as far as
  // `requests` pages go (200 pages: 10,000 captures back).
  std::string next;
  measure("captures, deep pages by cursor", requests, [&](int) {
    std::map<std::string, std::string> query;
    if (!next.empty()) query["before"] = next;
    const web::Response page = bench.get("/api/captures", query);
    const auto json = nlohmann::json::parse(page.body);
    next = json["next"].is_string() ? json["next"].get<std::string>() : std::string();
    return page.status;
  });
  // A cursor half a year back: paging from anywhere costs the same.
  const std::string far = std::to_string(newest - 180 * kDay) + ".9223372036854775807";
  measure("captures, page half a year back", requests, [&](int) {
    return bench.get("/api/captures", {{"before", far}}).status;
  });
  measure("dashboard", requests, [&](int) { return bench.get("/api/dashboard").status; });
  // As a browser asks: its local midnight and week start, here half an hour off the UTC
  // hour (India's time zone) so the counts' partial hours at both ends are exercised.
  constexpr std::int64_t kHalfHour = 1'800'000'000;
  const std::int64_t local_day = (store::now_us() - kHalfHour) / kDay * kDay + kHalfHour;
  measure("dashboard, a browser's day and week", requests, [&](int) {
    return bench
        .get("/api/dashboard", {{"day_start_us", std::to_string(local_day)},
                                {"week_start_us", std::to_string(local_day - 6 * kDay)}})
        .status;
  });

  // Each of the dashboard's queries alone, to show where its time goes.
  std::printf("\n");
  auto db = store::Database::open(data_dir, store::Database::Mode::read_only);
  if (!db) {
    std::cerr << "web_bench: " << db.error() << '\n';
    return 1;
  }
  store::Database& reader = **db;
  const std::int64_t now = store::now_us();
  const std::int64_t week = local_day - 6 * kDay;
  const auto part = [&](const std::string& name, const std::function<void()>& query) {
    measure("  " + name, requests, [&](int) {
      query();
      return 200;
    });
  };
  part("concerns today", [&] { store::concerns_between(reader, local_day, now + 1); });
  part("concerns this week", [&] { store::concerns_between(reader, week, now + 1); });
  part("review backlog", [&] { store::review_backlog(reader); });
  part("review times, 30 days", [&] { store::review_times(reader, now - 30 * kDay); });
  part("open incidents", [&] { store::IncidentRepository(reader).list(); });
  part("most concerning devices", [&] { store::most_concerning_devices(reader, week, 5); });
  part("most concerning groups", [&] { store::most_concerning_groups(reader, week, 5); });
  part("visibility today", [&] { store::visibility_since(reader, local_day); });
  part("mirror traffic", [&] { store::mirror_traffic(reader, now - 600'000'000); });
  return 0;
}
