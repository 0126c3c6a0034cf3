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

// captures.cpp — the captures list, one capture's evidence, its packets, its review
Response list_captures(ApiContext& context);
Response capture_detail(ApiContext& context);
Response capture_packets(ApiContext& context);
Response review_capture(ApiContext& context);

// dashboard.cpp — "is anything wrong, and is the box working?"
Response dashboard(ApiContext& context);

// library.cpp — the active library, the school's own words, "test a phrase"
Response library_overview(ApiContext& context);
Response add_school_entry(ApiContext& context);
Response remove_school_entry(ApiContext& context);
Response test_library(ApiContext& context);
Response upload_library_bundle(ApiContext& context);

// settings.cpp — how long captures are kept
Response retention_settings(ApiContext& context);
Response set_retention(ApiContext& context);
Response school_settings(ApiContext& context);
Response set_school_settings(ApiContext& context);

// setup.cpp — the setup wizard's steps after the account (where it got to)
Response setup_wizard(ApiContext& context);
Response set_setup_wizard(ApiContext& context);

// system.cpp — the System page: interfaces, storage, time, mail server, restart
Response system_overview(ApiContext& context);
Response capture_check(ApiContext& context);
Response mail_settings(ApiContext& context);
Response set_mail_settings(ApiContext& context);
Response send_test_mail(ApiContext& context);
Response restart_daemon(ApiContext& context);

// incidents.cpp — incidents: the list, one incident, its status, assignee, notes,
// intervention and captures
Response list_incidents(ApiContext& context);
Response open_incident(ApiContext& context);
Response incident_detail(ApiContext& context);
Response set_incident_status(ApiContext& context);
Response assign_incident(ApiContext& context);
Response add_incident_note(ApiContext& context);
Response record_incident_intervention(ApiContext& context);
Response add_incident_captures(ApiContext& context);
Response export_incident(ApiContext& context);

// people.cpp — people, devices and who had them, groups and their age profiles, the
// CSV import
Response list_people(ApiContext& context);
Response preview_people_import(ApiContext& context);
Response import_people(ApiContext& context);
Response list_devices(ApiContext& context);
Response device_holder(ApiContext& context);
Response assign_device(ApiContext& context);
Response unassign_device(ApiContext& context);
Response list_groups(ApiContext& context);
Response create_group(ApiContext& context);
Response delete_group(ApiContext& context);
Response set_group_profile(ApiContext& context);
Response add_group_member(ApiContext& context);
Response remove_group_member(ApiContext& context);

// account.cpp — the Account page: your password, your sessions, the second step
Response account(ApiContext& context);
Response change_own_password(ApiContext& context);
Response sign_out_everywhere_self(ApiContext& context);
Response start_two_step(ApiContext& context);
Response confirm_two_step(ApiContext& context);
Response turn_off_two_step(ApiContext& context);

// users.cpp — the Users page: staff accounts and their roles
Response list_users(ApiContext& context);
Response add_user(ApiContext& context);
Response change_user(ApiContext& context);
Response remove_user(ApiContext& context);
Response reset_user_password(ApiContext& context);
Response sign_out_user(ApiContext& context);
// "Designated safeguarding lead (DSL)" for dsl …
std::string_view role_title(store::Role role);

// alerts.cpp — the Alerts page: who is told and when (the rules and their settings),
// the emails sent and waiting, and the masthead's count
Response alert_rules(ApiContext& context);
Response add_alert_rule(ApiContext& context);
Response change_alert_rule(ApiContext& context);
Response remove_alert_rule(ApiContext& context);
Response set_alert_settings(ApiContext& context);
Response alert_outbox(ApiContext& context);
Response retry_outbox_message(ApiContext& context);
Response alerts_summary(ApiContext& context);

// reports.cpp — the Reports page: kept reports, a report for any period (and the
// DSL's copy with names), the inspection evidence pack, the notices, the annual review
Response list_reports(ApiContext& context);
Response make_report(ApiContext& context);
Response download_report(ApiContext& context);
Response download_named_report(ApiContext& context);
Response download_evidence_pack(ApiContext& context);
Response download_notice(ApiContext& context);
Response record_annual_review(ApiContext& context);

// audit.cpp — the audit log viewer
Response audit_log(ApiContext& context);
Response verify_audit_log(ApiContext& context);

// shared_answers.cpp — answers several handler files give in the same words.
// No audit entry, no view: appends `action`/`detail` for the signed-in user, or gives
// the 503 to answer with ("<what> cannot be shown because the audit log …").
std::optional<Response> audit_before_showing(ApiContext& context, std::string_view action,
                                             const std::string& detail, std::string_view what);
// 400 "That was not saved: <why>." for a change the store refused.
Response not_saved(const std::string& why);
// A UTC time as the API gives every time: ISO 8601 to the second ("2026-03-02T09:12:07Z").
std::string iso_time(std::int64_t ts_us);
// The same from seconds since 1970 (a bundle's manifest, the library history): a
// bundle's bytes set these, so they are not multiplied into microseconds, where a
// hostile value would overflow.
std::string iso_time_of_seconds(std::int64_t unix_seconds);

// The public view of an account (never its password data).
nlohmann::json user_json(const store::User& user);

}  // namespace hm::web::api
