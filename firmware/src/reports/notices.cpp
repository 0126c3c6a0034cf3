#include "reports/notices.h"

namespace hm::reports {
namespace {

std::string school_or_ours(const std::string& school_name) {
  return school_name.empty() ? "our school" : school_name;
}

}  // namespace

pdf::Document acceptable_use_statement_document(const std::string& school_name) {
  const std::string school = school_or_ours(school_name);
  pdf::Document doc{.title = "Using the internet safely",
                    .school = school_name,
                    .subject = "Acceptable use: the school's network is monitored"};
  doc.add(pdf::Title{.text = "Using the internet safely at " + school,
                     .subtitle = "The school's network is monitored to keep everyone safe"});

  doc.add(pdf::Heading{.text = "For pupils"});
  doc.add(
      pdf::Paragraph{.runs = {{"We want you to enjoy the internet and to be safe on it.", true}}});
  doc.add(pdf::BulletList{
      .items = {"When you use the internet at school, a computer checks the websites you visit "
                "and the things you search for.",
                "It looks out for things that could hurt or upset you, or that might mean you "
                "need some help.",
                "If it spots something worrying, a grown-up who looks after you will check that "
                "you are OK.",
                "It is there to keep you safe, not to get you into trouble."}});
  doc.add(pdf::Paragraph{.runs = {{"I will:", true}}});
  doc.add(pdf::BulletList{
      .items = {"be kind to other people online, just as I am in the classroom;",
                "keep my passwords and my personal details (my address, my school, photos of "
                "me) to myself;",
                "only use the websites and apps my teacher says I can use;",
                "tell a teacher or a grown-up I trust if something online worries me, upsets me "
                "or makes me feel uncomfortable. I will not be in trouble for telling."}});

  doc.add(pdf::Heading{.text = "For staff"});
  doc.add(pdf::Paragraph::plain(
      "The school's network is monitored for safeguarding concerns, as Keeping Children Safe "
      "in Education and the DfE's filtering and monitoring standards expect. This covers every "
      "device on the school network and Wi-Fi, including staff devices. What is seen is "
      "checked against a safeguarding library (for example self-harm, bullying, grooming and "
      "extremism)."));
  doc.add(pdf::BulletList{
      .items = {"A match is recorded and sealed: only the designated safeguarding lead, their "
                "deputy and the headteacher can open it, and every opening is logged.",
                "Serious matches are sent to the designated safeguarding lead at once. Follow "
                "the school's safeguarding policy if you are asked about one.",
                "Records are deleted automatically after the periods set in the school's data "
                "protection policy.",
                "A concern about a member of staff is handled under the school's procedure for "
                "allegations against staff."}});

  doc.add(pdf::Heading{.text = "For visitors, parents and guests"});
  doc.add(pdf::Paragraph::plain(
      "If you use " + school +
      "'s network or Wi-Fi, what you do on it is monitored in the same way, to keep the "
      "children in our care safe. Please do not use it for anything you would not want a "
      "child to see."));

  doc.add(pdf::Heading{.text = "What the monitoring does not do"});
  doc.add(pdf::BulletList{
      .items = {"It does not see phones on mobile data or anything done away from school.",
                "It does not read inside encrypted pages such as online banking; it sees the "
                "names of the sites.",
                "It does not decide anything on its own: a trained member of staff always "
                "looks at what it found."}});
  doc.add(pdf::Note{.title = "Questions?",
                    .text = "Please speak to the designated safeguarding lead or the "
                            "headteacher at " +
                            school + "."});
  return doc;
}

Result<std::string> acceptable_use_statement_pdf(const std::string& school_name) {
  return pdf::render_pdf(acceptable_use_statement_document(school_name));
}

pdf::Document monitoring_poster_document(const std::string& school_name) {
  const std::string school = school_or_ours(school_name);
  pdf::Document doc{.title = "Our network keeps you safe",
                    .school = school_name,
                    .subject = "Notice: the school's network is monitored",
                    .running_header = false,
                    .page_numbers = false,
                    .margin_mm = 20};
  doc.add(pdf::Spacer{.height_mm = 12});
  doc.add(pdf::BigText{.text = school, .size_pt = 26});
  doc.add(pdf::Spacer{.height_mm = 8});
  doc.add(pdf::BigText{.text = "Our internet keeps you safe", .size_pt = 44});
  doc.add(pdf::Spacer{.height_mm = 8});
  for (const char* line : {"A computer checks what we search for and the websites we visit at "
                           "school.",
                           "If it spots something worrying, a grown-up will check you are OK.",
                           "It is there to keep you safe, not to get you into trouble."}) {
    doc.add(pdf::BigText{.text = line, .size_pt = 20, .bold = false});
    doc.add(pdf::Spacer{.height_mm = 3});
  }
  doc.add(pdf::Spacer{.height_mm = 8});
  doc.add(pdf::BigText{.text = "Something online worried you?", .size_pt = 30});
  doc.add(pdf::BigText{.text = "Tell a grown-up you trust.", .size_pt = 30});
  doc.add(pdf::Spacer{.height_mm = 12});
  doc.add(pdf::Note{.title = "Staff, parents and visitors",
                    .text = "Everything on this school's network and Wi-Fi is monitored for "
                            "safeguarding concerns, as Keeping Children Safe in Education and "
                            "the DfE's filtering and monitoring standards expect. What is found "
                            "is seen only by the designated safeguarding lead and the "
                            "headteacher. Ask either of them for details."});
  return doc;
}

Result<std::string> monitoring_poster_pdf(const std::string& school_name) {
  return pdf::render_pdf(monitoring_poster_document(school_name));
}

}  // namespace hm::reports
