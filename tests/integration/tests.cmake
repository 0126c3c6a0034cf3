# Integration suites: the real binary over the bundled sample and bad inputs.
set(HM_SAMPLE_PCAP ${CMAKE_SOURCE_DIR}/tools/sample/school-morning.pcap)
set(HM_INTEGRATION_DIR ${CMAKE_CURRENT_SOURCE_DIR}/integration)

add_test(NAME integration.replay_sample_planted_captures
  COMMAND python3 ${HM_INTEGRATION_DIR}/replay_sample_test.py
    $<TARGET_FILE:hallmonitor> $<TARGET_FILE:hallmonitor-trafficgen> ${HM_SAMPLE_PCAP}
    ${CMAKE_CURRENT_BINARY_DIR}/integration-replay)

add_test(NAME integration.malformed_input
  COMMAND python3 ${HM_INTEGRATION_DIR}/malformed_input_test.py
    $<TARGET_FILE:hallmonitor> ${HM_SAMPLE_PCAP} ${CMAKE_SOURCE_DIR}/firmware/library
    ${CMAKE_CURRENT_BINARY_DIR}/integration-malformed)

# Live capture through a veth pair in a network namespace the test makes (needs root,
# iproute2 and tcpreplay; skipped with a message otherwise).
add_test(NAME integration.live_capture_veth
  COMMAND ${HM_INTEGRATION_DIR}/live_capture_test.sh
    $<TARGET_FILE:hallmonitor> $<TARGET_FILE:hallmonitor-trafficgen> ${HM_SAMPLE_PCAP}
    ${CMAKE_CURRENT_BINARY_DIR}/integration-live)
set_tests_properties(integration.live_capture_veth PROPERTIES SKIP_RETURN_CODE 77 RUN_SERIAL TRUE)

# Sealed evidence (issue 5): nothing observed readable in the data folder; evidence opens
# only signed in or with the recovery key; views audited; an edited audit row is named.
add_test(NAME integration.sealed_evidence
  COMMAND python3 ${HM_INTEGRATION_DIR}/sealed_evidence_test.py
    $<TARGET_FILE:hallmonitor> ${HM_SAMPLE_PCAP} ${CMAKE_CURRENT_BINARY_DIR}/integration-sealed)

