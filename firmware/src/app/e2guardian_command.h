#pragma once

namespace hm::app {

// `hallmonitor library import-e2guardian LIST|FOLDER… --out DIR [--language L]
// [--category ID]`: e2guardian / DansGuardian phrase lists → a library source folder
// (library/e2guardian_import.h), with a report of what was mapped and what skipped.
int run_import_e2guardian(int argc, char** argv);

}  // namespace hm::app
