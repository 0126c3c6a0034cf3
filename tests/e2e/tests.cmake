# The browser test: Debian's chromium, driven by playwright-core, does first-run setup,
# signs in, sees a planted capture, signs out, and calls every signed-in API route
# without a session. Screenshots go to <build>/e2e/screenshots/. Skipped (77) only
# when chromium is not installed.
add_test(NAME e2e.browser_ui
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/run.sh $<TARGET_FILE:hallmonitor> ${CMAKE_BINARY_DIR}
    ${CMAKE_SOURCE_DIR}/tools/sample/school-morning.pcap)
set_tests_properties(e2e.browser_ui PROPERTIES
  SKIP_RETURN_CODE 77
  TIMEOUT 600
  LABELS e2e)
