#pragma once

#include <string>
#include <string_view>

namespace hm::dissect {

// The text a person would read on an HTML page: tags, comments, <script> and <style>
// contents dropped, character references decoded, whitespace runs collapsed to one
// space. Works on truncated or broken markup (an unclosed tag ends the text).
std::string html_to_text(std::string_view html);

// Decodes HTML character references (&amp; &#233; &#x1F600; and the common named
// ones) in text; unknown names stay as they are (HTML §13.2.5.72).
std::string decode_html_entities(std::string_view text);

}  // namespace hm::dissect
