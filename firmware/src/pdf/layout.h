#pragma once

// Internal to pdf/: the page frame blocks are flowed into, and the drawing functions
// that tables.cpp and charts.cpp add to layout.cpp's.

#include <cairo.h>

#include "pdf/document.h"
#include "pdf/text.h"

namespace hm::pdf {

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

inline constexpr double kBodySize = 10;
inline constexpr double kSmallSize = 8;
inline constexpr double kBlockGap = 8;  // points between blocks

// Where blocks go: the text column of the current page and how far down it is.
// The same layout runs twice, first to count pages and then to draw with "of Y"
// known; drawing never changes where things go.
class Frame {
 public:
  Frame(cairo_t* cr, const Document& document, int total_pages);

  cairo_t* cr() const { return cr_; }
  double left() const { return left_; }
  double width() const { return width_; }
  double y() const { return y_; }
  double remaining() const { return bottom_ - y_; }
  double column_height() const { return bottom_ - top_; }
  bool at_top() const { return y_ <= top_; }
  int page() const { return page_; }

  void advance(double points) { y_ += points; }
  // Makes room for `points` (a new page if they don't fit here; at the top of a page
  // whatever is asked for is given, so an oversized block can't loop forever).
  void need(double points);
  void new_page();
  // Draws the last page's header and footer and ends it.
  void finish();

 private:
  void draw_page_furniture();

  cairo_t* cr_;
  const Document& document_;
  int total_pages_;
  double left_;
  double width_;
  double top_;
  double bottom_;
  double y_;
  int page_ = 1;
};

// Whether the document can be drawn: an Error naming the first block that can't
// (validate.cpp).
Status check(const Document& document);

void draw_key_value_table(Frame& frame, const KeyValueTable& table);
void draw_table(Frame& frame, const Table& table);
void draw_bar_chart(Frame& frame, const BarChart& chart);
void draw_line_chart(Frame& frame, const LineChart& chart);

// The height a table's first rows (header + one row) or a chart (all of it) need, so a
// heading before them can be kept with them.
double table_start_height(cairo_t* cr, double width, const Table& table);
double chart_height(cairo_t* cr, double width, const BarChart& chart);
double chart_height(cairo_t* cr, double width, const LineChart& chart);

}  // namespace hm::pdf
