// Tables: key/value pairs and general tables whose rows flow across pages.

#include <algorithm>
#include <numeric>
#include <vector>

#include "pdf/layout.h"

namespace hm::pdf {
namespace {

constexpr double kCellPadX = 5;
constexpr double kCellPadY = 3.5;
constexpr double kTableSize = 9.5;
constexpr Rgb kHeaderFill{0.84, 0.86, 0.89};
constexpr Rgb kZebraFill{0.95, 0.95, 0.95};

struct LaidOutRow {
  std::vector<TextBlock> cells;
  double height = 0;
};

std::vector<double> column_widths(double width, const std::vector<TableColumn>& columns) {
  double total = 0;
  for (const TableColumn& column : columns) total += column.width;
  std::vector<double> widths;
  widths.reserve(columns.size());
  for (const TableColumn& column : columns) widths.push_back(width * column.width / total);
  return widths;
}

LaidOutRow lay_out_row(cairo_t* cr, const std::vector<std::string>& cells,
                       const std::vector<TableColumn>& columns, const std::vector<double>& widths,
                       bool bold) {
  LaidOutRow row;
  for (size_t c = 0; c < columns.size(); ++c) {
    const std::string& text = c < cells.size() ? cells[c] : std::string();
    row.cells.emplace_back(
        cr, text, TextStyle{.size_pt = kTableSize, .bold = bold, .align = columns[c].align},
        widths[c] - 2 * kCellPadX);
    row.height = std::max(row.height, row.cells.back().height());
  }
  row.height += 2 * kCellPadY;
  return row;
}

void fill_rectangle(cairo_t* cr, Rgb colour, double x, double y, double w, double h) {
  set_colour(cr, colour);
  cairo_rectangle(cr, x, y, w, h);
  cairo_fill(cr);
}

void rule(cairo_t* cr, Rgb colour, double width, double x, double y, double length) {
  set_colour(cr, colour);
  cairo_set_line_width(cr, width);
  cairo_move_to(cr, x, y);
  cairo_line_to(cr, x + length, y);
  cairo_stroke(cr);
}

void draw_row(Frame& frame, const LaidOutRow& row, const std::vector<double>& widths) {
  double x = frame.left();
  for (size_t c = 0; c < row.cells.size(); ++c) {
    row.cells[c].draw(frame.cr(), x + kCellPadX, frame.y() + kCellPadY);
    x += widths[c];
  }
}

void draw_header(Frame& frame, const LaidOutRow& header, const std::vector<double>& widths) {
  fill_rectangle(frame.cr(), kHeaderFill, frame.left(), frame.y(), frame.width(), header.height);
  draw_row(frame, header, widths);
  rule(frame.cr(), kInk, 1, frame.left(), frame.y() + header.height, frame.width());
  frame.advance(header.height);
}

std::vector<std::string> headers_of(const Table& table) {
  std::vector<std::string> headers;
  for (const TableColumn& column : table.columns) headers.push_back(column.header);
  return headers;
}

}  // namespace

double table_start_height(cairo_t* cr, double width, const Table& table) {
  const auto widths = column_widths(width, table.columns);
  double height = lay_out_row(cr, headers_of(table), table.columns, widths, true).height;
  if (!table.rows.empty()) {
    height += lay_out_row(cr, table.rows[0], table.columns, widths, false).height;
  }
  return height;
}

void draw_table(Frame& frame, const Table& table) {
  cairo_t* cr = frame.cr();
  const auto widths = column_widths(frame.width(), table.columns);
  const LaidOutRow header = lay_out_row(cr, headers_of(table), table.columns, widths, true);

  const bool has_total = table.last_row_total && !table.rows.empty();
  std::vector<LaidOutRow> rows;
  rows.reserve(table.rows.size());
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const bool total = has_total && r + 1 == table.rows.size();
    rows.push_back(lay_out_row(cr, table.rows[r], table.columns, widths, total));
  }

  frame.need(header.height + (rows.empty() ? 0 : rows[0].height));
  draw_header(frame, header, widths);
  for (size_t r = 0; r < rows.size(); ++r) {
    if (rows[r].height > frame.remaining()) {
      frame.new_page();
      draw_header(frame, header, widths);  // the header again on every page
    }
    const bool total = has_total && r + 1 == rows.size();
    if (table.zebra && r % 2 == 1 && !total) {
      fill_rectangle(cr, kZebraFill, frame.left(), frame.y(), frame.width(), rows[r].height);
    }
    if (total) rule(cr, kInk, 1, frame.left(), frame.y(), frame.width());
    draw_row(frame, rows[r], widths);
    frame.advance(rows[r].height);
    rule(cr, kRule, 0.4, frame.left(), frame.y(), frame.width());
  }

  if (!table.caption.empty()) {
    TextBlock caption(cr, table.caption, TextStyle{.size_pt = kSmallSize + 0.5, .colour = kMuted},
                      frame.width());
    frame.advance(3);
    frame.need(caption.height());
    caption.draw(cr, frame.left(), frame.y());
    frame.advance(caption.height());
  }
}

void draw_key_value_table(Frame& frame, const KeyValueTable& table) {
  cairo_t* cr = frame.cr();
  const double key_width = frame.width() * table.key_width;
  const double value_width = frame.width() - key_width;
  for (const auto& [key, value] : table.rows) {
    TextBlock key_text(cr, key, TextStyle{.bold = true}, key_width - 2 * kCellPadX);
    TextBlock value_text(cr, value, TextStyle{}, value_width - 2 * kCellPadX);
    const double height = std::max(key_text.height(), value_text.height()) + 2 * kCellPadY;
    frame.need(height);
    key_text.draw(cr, frame.left() + kCellPadX, frame.y() + kCellPadY);
    value_text.draw(cr, frame.left() + key_width + kCellPadX, frame.y() + kCellPadY);
    frame.advance(height);
    rule(cr, kRule, 0.4, frame.left(), frame.y(), frame.width());
  }
}

}  // namespace hm::pdf
