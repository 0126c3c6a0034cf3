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

# Live capture at increasing rates (issue 9): tcpreplay sends the generated school-day
# mix through the veth pair; prints per rate what was sent, seen and dropped (ring and
# kernel apart) and the highest rate with zero drops. Asserts only that at the slowest
# rate every packet is counted; the figures are printed, never asserted. Short here;
# the long run (256 MB up to 1.5 Gbit/s) with HM_SLOW_TESTS=1 at configure time.
add_test(NAME integration.live_rate_veth
  COMMAND ${HM_INTEGRATION_DIR}/live_rate_test.sh
    $<TARGET_FILE:hallmonitor> $<TARGET_FILE:hallmonitor-trafficgen>
    ${CMAKE_CURRENT_BINARY_DIR}/integration-live-rate 16M 50 200)
set_tests_properties(integration.live_rate_veth PROPERTIES
  SKIP_RETURN_CODE 77 RUN_SERIAL TRUE TIMEOUT 300)
if("$ENV{HM_SLOW_TESTS}" STREQUAL "1")
  add_test(NAME integration.live_rate_veth_slow
    COMMAND ${HM_INTEGRATION_DIR}/live_rate_test.sh
      $<TARGET_FILE:hallmonitor> $<TARGET_FILE:hallmonitor-trafficgen>
      ${CMAKE_CURRENT_BINARY_DIR}/integration-live-rate-slow 256M 100 200 400 700 1000 1500)
  set_tests_properties(integration.live_rate_veth_slow PROPERTIES
    LABELS "slow" SKIP_RETURN_CODE 77 RUN_SERIAL TRUE TIMEOUT 1800)
endif()

# Sealed evidence (issue 5): nothing observed readable in the data folder; evidence opens
# only signed in or with the recovery key; views audited; an edited audit row is named.
add_test(NAME integration.sealed_evidence
  COMMAND python3 ${HM_INTEGRATION_DIR}/sealed_evidence_test.py
    $<TARGET_FILE:hallmonitor> ${HM_SAMPLE_PCAP} ${CMAKE_CURRENT_BINARY_DIR}/integration-sealed)


# Pupils' names sealed at import; incidents, their export, subject access and erasure
# through the real binary (issue 5).
add_test(NAME integration.people_data_protection
  COMMAND python3 ${HM_INTEGRATION_DIR}/people_data_protection_test.py
    $<TARGET_FILE:hallmonitor> ${HM_SAMPLE_PCAP} ${CMAKE_CURRENT_BINARY_DIR}/integration-people)

# Durability (issue 5 item 5): a replay of a dense capture killed with SIGKILL at 20
# random moments (seed printed) and restarted; after each kill the database is intact,
# every capture reported committed is there exactly once, the audit chain verifies.
add_test(NAME integration.crash_kill9
  COMMAND python3 ${HM_INTEGRATION_DIR}/crash_test.py
    $<TARGET_FILE:hallmonitor> $<TARGET_FILE:hallmonitor-trafficgen>
    ${CMAKE_CURRENT_BINARY_DIR}/integration-crash)
set_tests_properties(integration.crash_kill9 PROPERTIES TIMEOUT 600)

# A full disk: a 3 MB tmpfs filled by a replay (needs root to mount; skipped otherwise).
add_test(NAME integration.full_disk
  COMMAND python3 ${HM_INTEGRATION_DIR}/full_disk_test.py
    $<TARGET_FILE:hallmonitor> $<TARGET_FILE:hallmonitor-trafficgen>
    ${CMAKE_CURRENT_BINARY_DIR}/integration-full-disk)
set_tests_properties(integration.full_disk PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)

# Signed library bundles (issue 4 item 5): keygen, build, verify, import, show, rollback
# and each kind of rejection, through the real binary.
add_test(NAME integration.library_bundles
  COMMAND python3 ${HM_INTEGRATION_DIR}/library_bundle_test.py
    $<TARGET_FILE:hallmonitor> ${CMAKE_SOURCE_DIR}/firmware/library ${HM_SAMPLE_PCAP}
    ${CMAKE_CURRENT_BINARY_DIR}/integration-bundles)

# A bundle imported while a replay runs is swapped in with no packet lost (issue 4).
add_test(NAME integration.library_swap_replay
  COMMAND python3 ${HM_INTEGRATION_DIR}/library_swap_replay_test.py
    $<TARGET_FILE:hallmonitor> $<TARGET_FILE:hallmonitor-trafficgen>
    ${CMAKE_CURRENT_BINARY_DIR}/integration-swap)
set_tests_properties(integration.library_swap_replay PROPERTIES TIMEOUT 600)

# USB library updates (issue 4): a FAT image holding good, tampered and foreign bundles
# through the import script the udev rule starts (needs dosfstools and mtools).
add_test(NAME integration.usb_library_import
  COMMAND python3 ${HM_INTEGRATION_DIR}/usb_library_test.py
    $<TARGET_FILE:hallmonitor> ${CMAKE_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/integration-usb)
set_tests_properties(integration.usb_library_import PROPERTIES SKIP_RETURN_CODE 77)

# Email (issue 6 item 1): the test email sent through the API after setup arrives at a
# local SMTP server (Debian's python3-aiosmtpd, on 127.0.0.1) with the school's name
# encoded; an unreachable server is a plain error. Skipped (77) without aiosmtpd.
add_test(NAME integration.mail_test_email
  COMMAND python3 ${HM_INTEGRATION_DIR}/mail_test.py
    $<TARGET_FILE:hallmonitor> ${HM_SAMPLE_PCAP} ${CMAKE_CURRENT_BINARY_DIR}/integration-mail)
set_tests_properties(integration.mail_test_email PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)

# Issue 7: a severity-5 capture in a replay emails the DSL once within 10 s, and an
# alert left waiting while the mail server was down arrives once after a restart.
add_test(NAME integration.alerts_email
  COMMAND python3 ${HM_INTEGRATION_DIR}/alerts_test.py
    $<TARGET_FILE:hallmonitor> ${HM_SAMPLE_PCAP} ${CMAKE_CURRENT_BINARY_DIR}/integration-alerts)
set_tests_properties(integration.alerts_email PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
