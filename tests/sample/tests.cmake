# The bundled sample capture: reproducible from the generator, and every planted
# concern visible to an independent dissector (tshark). See tools/sample/README.md.
find_package(Python3 COMPONENTS Interpreter REQUIRED)

set(HM_SAMPLE_PCAP ${CMAKE_SOURCE_DIR}/tools/sample/school-morning.pcap)

add_test(NAME sample_reproducible
  COMMAND Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/check_sample.py reproducible
          $<TARGET_FILE:hallmonitor-trafficgen> ${HM_SAMPLE_PCAP}
          ${CMAKE_CURRENT_BINARY_DIR}/sample-regenerated.pcap)
add_test(NAME sample_planted_tshark
  COMMAND Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/check_sample.py planted
          $<TARGET_FILE:hallmonitor-trafficgen> ${HM_SAMPLE_PCAP})
set_tests_properties(sample_reproducible sample_planted_tshark PROPERTIES
  LABELS "integration;sample" TIMEOUT 120)
set_tests_properties(sample_planted_tshark PROPERTIES SKIP_RETURN_CODE 77)
