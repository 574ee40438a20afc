#pragma once
// txt-1 (htmlChecks()) of R4 Narrative.div, without an XML library: the div is one well-formed
// XHTML element, <div xmlns="http://www.w3.org/1999/xhtml">, holding only the narrative subset
// R4 allows (the basic formatting elements of HTML 4.0 chapters 7-11, except 9.4, and 15, <a>,
// <img>; the R4 narrative page), with only their attributes: no script, style sheet, form, frame
// or object, no event attribute (on…), no script link, and no image or style from outside the
// resource (img src is "#id" or a data: URL). One pass over the text, no DOM.
#include <cstddef>
#include <string>
#include <string_view>

#include "json/json.hpp"
#include "validate/path.hpp"
#include "validate/sink.hpp"

namespace mfr::validate::detail {

struct XhtmlProblem {
  std::string what;      // a sentence; empty: the div is fine
  bool error = true;     // false: a warning (a named entity only the XHTML DTD defines)
  std::size_t offset = 0;  // byte offset in the div where it was found
};

// The first thing wrong with `div` as a narrative, if any.
XhtmlProblem check_xhtml(std::string_view div);

// txt-1 on a Narrative at `at`: an issue at `at`.div naming what is wrong and where. A div that
// does not start with "<div" is left to the xhtml primitive check, which already says so.
void check_txt_1(const json::Value& narrative, const Path& at, Sink& sink);

}  // namespace mfr::validate::detail
