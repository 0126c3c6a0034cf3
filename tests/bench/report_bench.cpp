// How long the box takes to make its reports over a large database (issue 7): the
// weekly report's figures and PDF, the governors' report, and the inspection evidence
// pack, for the last week of captures in DATA_DIR (make_captures.py fills one with a
// million), plus the peak memory. Prints figures; passes or fails nothing.
//
// usage: report_bench DATA_DIR [REPEATS]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "reports/evidence_pack.h"
#include "reports/report_data.h"
#include "reports/report_pdf.h"
#include "store/database.h"

namespace {

using Clock = std::chrono::steady_clock;

// Median and worst of `repeats` runs of `work`, in milliseconds.
void measure(const char* what, int repeats, const std::function<std::size_t()>& work) {
  std::vector<double> times;
  std::size_t bytes = 0;
  for (int i = 0; i < repeats; ++i) {
    const auto start = Clock::now();
    bytes = work();
    times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  std::printf("%-44s %9.1f %9.1f %10zu\n", what, times[times.size() / 2], times.back(), bytes);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: report_bench DATA_DIR [REPEATS]\n");
    return 2;
  }
  const std::filesystem::path data_dir = argv[1];
  const int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
  auto db = hm::store::Database::open(data_dir);
  if (!db) {
    std::fprintf(stderr, "report_bench: %s\n", db.error().c_str());
    return 1;
  }
  hm::store::Statement count(**db, "SELECT count(*), coalesce(max(ts_us), 0) FROM captures");
  count.step();
  const std::int64_t captures = count.column_int(0);
  const std::int64_t newest = count.column_int(1);
  constexpr std::int64_t kWeekUs = 7LL * 24 * 3600 * 1'000'000;
  const hm::reports::Period week{newest + 1 - kWeekUs, newest + 1};
  std::printf("%lld captures; the week up to the newest; %d runs each\n\n",
              static_cast<long long>(captures), repeats);
  std::printf("%-44s %9s %9s %10s\n", "", "median ms", "worst ms", "bytes");

  hm::reports::ReportOptions staff;
  staff.data_dir = data_dir;
  hm::reports::ReportOptions governors = staff;
  governors.audience = hm::reports::Audience::governors;
  hm::reports::ReportFigures figures;
  measure("weekly report: figures (gather_report)", repeats, [&] {
    figures = hm::reports::gather_report(**db, week, staff);
    return std::size_t{0};
  });
  std::printf("  (%lld concerns in the week)\n",
              static_cast<long long>(figures.concerns.counts.total));
  measure("weekly report: PDF", repeats, [&] {
    auto pdf = hm::reports::weekly_report_pdf(figures);
    return pdf ? pdf->size() : 0;
  });
  const hm::reports::Period term{week.until_us - 13 * kWeekUs, week.until_us};
  measure("governors' report of 13 weeks: figures + PDF", repeats, [&] {
    auto pdf = hm::reports::governors_report_pdf(hm::reports::gather_report(**db, term, governors));
    return pdf ? pdf->size() : 0;
  });
  measure("evidence pack: records + PDF", repeats, [&] {
    auto pdf = hm::reports::evidence_pack_pdf(hm::reports::gather_evidence_pack(**db, data_dir));
    return pdf ? pdf->size() : 0;
  });
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("\npeak RSS %.1f MiB\n", static_cast<double>(usage.ru_maxrss) / 1024.0);
  return 0;
}
