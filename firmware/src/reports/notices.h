#pragma once

#include <string>

#include "base/result.h"
#include "pdf/document.h"

// Printable notices in the school's name that tell pupils, staff and visitors that the
// network is monitored and why (issue 7 item 4): the UK Safer Internet Centre's
// definition of appropriate monitoring expects users to be made aware of it.
namespace hm::reports {

// A page or two for the acceptable-use agreement: for pupils in words a primary school
// child reads, for staff, and for visitors and parents.
pdf::Document acceptable_use_statement_document(const std::string& school_name);
Result<std::string> acceptable_use_statement_pdf(const std::string& school_name);

// One A4 page for classroom walls and the entrance: big, friendly, few words.
pdf::Document monitoring_poster_document(const std::string& school_name);
Result<std::string> monitoring_poster_pdf(const std::string& school_name);

}  // namespace hm::reports
