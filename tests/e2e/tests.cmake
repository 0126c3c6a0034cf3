# The browser tests: Debian's chromium, driven by playwright-core, with axe-core on every
# page. Each tests/e2e/<name>_test.mjs is its own ctest, e2e.<name>, sharing
# harness.mjs. Screenshots go to <build>/e2e/screenshots/. Skipped (77) only when
# chromium is not installed.
file(GLOB hm_e2e_tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/*_test.mjs)
foreach(test_file IN LISTS hm_e2e_tests)
  get_filename_component(test_name ${test_file} NAME_WE)
  string(REGEX REPLACE "_test$" "" test_name ${test_name})
  add_test(NAME e2e.${test_name}
    COMMAND ${CMAKE_CURRENT_LIST_DIR}/run.sh $<TARGET_FILE:hallmonitor> ${CMAKE_BINARY_DIR}
      ${CMAKE_SOURCE_DIR}/tools/sample/school-morning.pcap ${test_file})
  set_tests_properties(e2e.${test_name} PROPERTIES
    SKIP_RETURN_CODE 77
    TIMEOUT 600
    LABELS e2e)
endforeach()
