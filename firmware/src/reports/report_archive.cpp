#include "reports/report_archive.h"

#include <sqlite3.h>

namespace hm::reports {
namespace {

constexpr std::string_view kColumns =
    "id, kind, from_us, to_us, created_us, created_by, title, length(pdf)";

StoredReport report_from(const store::Statement& row) {
  return StoredReport{row.column_int(0), row.column_text(1), row.column_int(2),  row.column_int(3),
                      row.column_int(4), row.column_text(5), row.column_text(6), row.column_int(7)};
}

}  // namespace

Result<std::int64_t> ReportArchive::keep(const StoredReport& report, const std::string& pdf) {
  store::Statement insert(db_,
                          "INSERT INTO reports (kind, from_us, to_us, created_us, created_by, "
                          "title, pdf) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  insert.bind(1, report.kind)
      .bind(2, report.from_us)
      .bind(3, report.until_us)
      .bind(4, report.created_us)
      .bind(5, report.created_by)
      .bind(6, report.title)
      .bind_blob(7, {reinterpret_cast<const std::uint8_t*>(pdf.data()), pdf.size()});
  insert.step();
  if (!insert.ok()) return Error{"the report was not kept: " + insert.error()};
  return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db_.handle()));
}

std::vector<StoredReport> ReportArchive::list(int limit) {
  store::Statement select(db_, "SELECT " + std::string(kColumns) +
                                   " FROM reports ORDER BY created_us DESC, id DESC LIMIT ?1");
  select.bind(1, std::int64_t{limit});
  std::vector<StoredReport> reports;
  while (select.step()) reports.push_back(report_from(select));
  return reports;
}

std::optional<StoredReport> ReportArchive::find(std::int64_t id) {
  store::Statement select(db_, "SELECT " + std::string(kColumns) + " FROM reports WHERE id = ?1");
  select.bind(1, id);
  if (!select.step()) return std::nullopt;
  return report_from(select);
}

std::optional<std::string> ReportArchive::pdf(std::int64_t id) {
  store::Statement select(db_, "SELECT pdf FROM reports WHERE id = ?1");
  select.bind(1, id);
  if (!select.step()) return std::nullopt;
  return select.column_blob(0);
}

Status ReportArchive::remove(std::int64_t id) {
  store::Statement erase(db_, "DELETE FROM reports WHERE id = ?1");
  erase.bind(1, id);
  erase.step();
  if (!erase.ok()) return error("the report was not removed: " + erase.error());
  return Ok{};
}

}  // namespace hm::reports
