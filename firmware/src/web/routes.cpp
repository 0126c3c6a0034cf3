#include <array>

#include "web/api/handlers.h"
#include "web/router.h"

namespace hm::web {

// The whole JSON API, by area of the UI. Keep web/openapi.json in step (each secured
// operation's `x-permission` is the route's `needs`): unit_web checks that they agree,
// and calls every route without a session, with each role and without the CSRF token.
std::span<const Route> api_routes() {
  using enum store::Permission;
  static constexpr std::array kRoutes = {
      // First run and signing in
      Route{"GET", "/api/setup/status", Access::anyone, api::setup_status},
      Route{"POST", "/api/setup", Access::anyone, api::setup},
      Route{"POST", "/api/login", Access::anyone, api::login},
      Route{"POST", "/api/logout", Access::signed_in, api::logout},
      Route{"GET", "/api/session", Access::signed_in, api::session},

      // Your own account, staff accounts, the audit log (engineer A)
      Route{"GET", "/api/account", Access::signed_in, api::account},
      Route{"POST", "/api/account/password", Access::signed_in, api::change_own_password},
      Route{"POST", "/api/account/sign-out-everywhere", Access::signed_in,
            api::sign_out_everywhere_self},
      Route{"POST", "/api/account/two-step/start", Access::signed_in, api::start_two_step},
      Route{"POST", "/api/account/two-step/confirm", Access::signed_in, api::confirm_two_step},
      Route{"POST", "/api/account/two-step/off", Access::signed_in, api::turn_off_two_step},
      Route{"GET", "/api/users", Access::signed_in, api::list_users, manage_accounts},
      Route{"POST", "/api/users", Access::signed_in, api::add_user, manage_accounts},
      Route{"PUT", "/api/users/{id}", Access::signed_in, api::change_user, manage_accounts},
      Route{"DELETE", "/api/users/{id}", Access::signed_in, api::remove_user, manage_accounts},
      Route{"POST", "/api/users/{id}/password", Access::signed_in, api::reset_user_password,
            manage_accounts},
      Route{"POST", "/api/users/{id}/sign-out", Access::signed_in, api::sign_out_user,
            manage_accounts},
      Route{"GET", "/api/audit", Access::signed_in, api::audit_log, read_audit},
      Route{"GET", "/api/audit/verify", Access::signed_in, api::verify_audit_log, read_audit},

      // Captures and the dashboard
      Route{"GET", "/api/captures", Access::signed_in, api::list_captures, see_evidence},
      Route{"GET", "/api/captures/{id}", Access::signed_in, api::capture_detail, see_evidence},
      Route{"GET", "/api/captures/{id}/pcap", Access::signed_in, api::capture_packets,
            see_evidence},
      Route{"POST", "/api/captures/{id}/review", Access::signed_in, api::review_capture,
            see_evidence},
      Route{"GET", "/api/dashboard", Access::signed_in, api::dashboard, see_dashboard},

      // Incidents (engineer C)
      Route{"GET", "/api/incidents", Access::signed_in, api::list_incidents, handle_incidents},
      Route{"POST", "/api/incidents", Access::signed_in, api::open_incident, handle_incidents},
      Route{"GET", "/api/incidents/{id}", Access::signed_in, api::incident_detail,
            handle_incidents},
      Route{"PUT", "/api/incidents/{id}/status", Access::signed_in, api::set_incident_status,
            handle_incidents},
      Route{"PUT", "/api/incidents/{id}/assignee", Access::signed_in, api::assign_incident,
            handle_incidents},
      Route{"POST", "/api/incidents/{id}/notes", Access::signed_in, api::add_incident_note,
            handle_incidents},
      Route{"PUT", "/api/incidents/{id}/intervention", Access::signed_in,
            api::record_incident_intervention, handle_incidents},
      Route{"POST", "/api/incidents/{id}/captures", Access::signed_in, api::add_incident_captures,
            handle_incidents},
      Route{"POST", "/api/incidents/{id}/export", Access::signed_in, api::export_incident,
            handle_incidents},

      // Alerts (issue 7): read, and a failed email tried again, by those told about
      // concerns (see_reports); the rules
      // and their settings changed by those who manage people and their alert rules
      // (manage_people: the same DSL, deputy and headteacher, never a technician or a
      // viewer); the masthead's count for every role that sees the dashboard.
      Route{"GET", "/api/alerts/rules", Access::signed_in, api::alert_rules, see_reports},
      Route{"POST", "/api/alerts/rules", Access::signed_in, api::add_alert_rule, manage_people},
      Route{"PUT", "/api/alerts/rules/{id}", Access::signed_in, api::change_alert_rule,
            manage_people},
      Route{"DELETE", "/api/alerts/rules/{id}", Access::signed_in, api::remove_alert_rule,
            manage_people},
      Route{"PUT", "/api/alerts/settings", Access::signed_in, api::set_alert_settings,
            manage_people},
      Route{"GET", "/api/alerts/outbox", Access::signed_in, api::alert_outbox, see_reports},
      Route{"POST", "/api/alerts/outbox/{id}/retry", Access::signed_in, api::retry_outbox_message,
            see_reports},
      Route{"GET", "/api/alerts/summary", Access::signed_in, api::alerts_summary, see_dashboard},

      // Reports (issue 7): kept reports, a report for any period, the evidence pack and
      // the notices, for those who oversee safeguarding (see_reports); the copy with
      // pupils' names only for those who may see names (see_people).
      Route{"GET", "/api/reports", Access::signed_in, api::list_reports, see_reports},
      Route{"POST", "/api/reports", Access::signed_in, api::make_report, see_reports},
      Route{"GET", "/api/reports/{id}/pdf", Access::signed_in, api::download_report, see_reports},
      Route{"GET", "/api/reports/with-names.pdf", Access::signed_in, api::download_named_report,
            see_people},
      Route{"GET", "/api/reports/evidence-pack.pdf", Access::signed_in, api::download_evidence_pack,
            see_reports},
      Route{"GET", "/api/reports/notices/{notice}", Access::signed_in, api::download_notice,
            see_reports},
      Route{"POST", "/api/reports/annual-review", Access::signed_in, api::record_annual_review,
            see_reports},

      // People, devices and groups (engineer C)
      Route{"GET", "/api/people", Access::signed_in, api::list_people, see_people},
      Route{"POST", "/api/people/import/preview", Access::signed_in, api::preview_people_import,
            manage_people, kMaxImportBytes},
      Route{"POST", "/api/people/import", Access::signed_in, api::import_people, manage_people,
            kMaxImportBytes},
      Route{"GET", "/api/devices", Access::signed_in, api::list_devices, see_people},
      Route{"GET", "/api/devices/{mac}/holder", Access::signed_in, api::device_holder, see_people},
      Route{"PUT", "/api/devices/{mac}/assignment", Access::signed_in, api::assign_device,
            manage_people},
      Route{"DELETE", "/api/devices/{mac}/assignment", Access::signed_in, api::unassign_device,
            manage_people},
      Route{"GET", "/api/groups", Access::signed_in, api::list_groups, see_people},
      Route{"POST", "/api/groups", Access::signed_in, api::create_group, manage_people},
      Route{"DELETE", "/api/groups/{id}", Access::signed_in, api::delete_group, manage_people},
      Route{"PUT", "/api/groups/{id}/profile", Access::signed_in, api::set_group_profile,
            manage_people},
      Route{"PUT", "/api/groups/{id}/members/{person_id}", Access::signed_in, api::add_group_member,
            manage_people},
      Route{"DELETE", "/api/groups/{id}/members/{person_id}", Access::signed_in,
            api::remove_group_member, manage_people},

      // The library
      Route{"GET", "/api/library", Access::signed_in, api::library_overview, see_dashboard},
      Route{"POST", "/api/library/school", Access::signed_in, api::add_school_entry, edit_library},
      Route{"DELETE", "/api/library/school", Access::signed_in, api::remove_school_entry,
            edit_library},
      Route{"POST", "/api/library/test", Access::signed_in, api::test_library, see_dashboard},
      Route{"POST", "/api/library/bundle", Access::signed_in, api::upload_library_bundle,
            edit_library, kMaxUploadBytes},

      // Settings
      Route{"GET", "/api/settings/retention", Access::signed_in, api::retention_settings,
            see_dashboard},
      Route{"PUT", "/api/settings/retention", Access::signed_in, api::set_retention,
            edit_retention},
      Route{"GET", "/api/settings/school", Access::signed_in, api::school_settings, see_dashboard},
      Route{"PUT", "/api/settings/school", Access::signed_in, api::set_school_settings,
            manage_accounts},

      // The setup wizard after the account, and the System page (engineer D)
      Route{"GET", "/api/setup/wizard", Access::signed_in, api::setup_wizard, manage_system},
      Route{"PUT", "/api/setup/wizard", Access::signed_in, api::set_setup_wizard, manage_system},
      Route{"GET", "/api/system", Access::signed_in, api::system_overview, manage_system},
      Route{"GET", "/api/system/capture", Access::signed_in, api::capture_check, manage_system},
      Route{"GET", "/api/system/mail", Access::signed_in, api::mail_settings, manage_system},
      Route{"PUT", "/api/system/mail", Access::signed_in, api::set_mail_settings, manage_system},
      Route{"POST", "/api/system/mail/test", Access::signed_in, api::send_test_mail, manage_system},
      Route{"POST", "/api/system/restart", Access::signed_in, api::restart_daemon, manage_system},
  };
  return kRoutes;
}

}  // namespace hm::web
