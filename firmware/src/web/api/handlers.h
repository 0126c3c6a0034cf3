#pragma once

#include "web/router.h"

// The JSON API's handlers, one file per area (setup.cpp, session.cpp, captures.cpp);
// routes.cpp lists them.
namespace hm::web::api {

// setup.cpp — first run
Response setup_status(ApiContext& context);
Response setup(ApiContext& context);

// session.cpp — signing in and out
Response login(ApiContext& context);
Response logout(ApiContext& context);
Response session(ApiContext& context);

// captures.cpp
Response list_captures(ApiContext& context);

// library.cpp — the active library, the school's own words, "test a phrase"
Response library_overview(ApiContext& context);
Response add_school_entry(ApiContext& context);
Response remove_school_entry(ApiContext& context);
Response test_library(ApiContext& context);
Response upload_library_bundle(ApiContext& context);

// settings.cpp — how long captures are kept
Response retention_settings(ApiContext& context);
Response set_retention(ApiContext& context);

// The public view of an account (never its password data).
nlohmann::json user_json(const store::User& user);

}  // namespace hm::web::api
