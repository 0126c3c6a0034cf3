# hallmonitor observe against tshark on every shared test capture (issue 2): per-kind
# recall >= 95% and nothing observed that tshark does not see. Skips (77) when tshark
# or ../shared/testdata/pcaps is missing.
find_package(Python3 COMPONENTS Interpreter REQUIRED)
add_test(NAME tshark_compare_observe
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/compare_observe.py
          --hallmonitor $<TARGET_FILE:hallmonitor> ${HM_TESTDATA_DIR}/pcaps)
set_tests_properties(tshark_compare_observe PROPERTIES
  SKIP_RETURN_CODE 77 TIMEOUT 1800 LABELS "tshark;comparison")
