#include "model/session.hpp"

namespace mfr {

void add_bilateral(Session& session, Finding finding) {
  finding.site.side = Side::Left;
  session.findings.push_back(finding);
  finding.site.side = Side::Right;
  session.findings.push_back(std::move(finding));
}

}  // namespace mfr
