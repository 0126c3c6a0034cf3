# libFuzzer targets, one per parser of outside bytes (STYLE.md). Built only in the
# clang fuzz flavour (tools/build fuzz: -DHM_FUZZ=ON with clang); each becomes a CTest
# test labelled `fuzz` that runs for HM_FUZZ_SECONDS, seeded where seeds exist.
if(NOT HM_FUZZ)
  return()
endif()

set(HM_FUZZ_SECONDS 20 CACHE STRING "How long each fuzz test runs")
set(HM_FUZZ_DIR ${CMAKE_CURRENT_SOURCE_DIR}/fuzz)
set(HM_FUZZ_WORK ${CMAKE_CURRENT_BINARY_DIR}/fuzz)
add_custom_target(fuzzers)

# hm_fuzz_target(NAME LIBRARIES... [SEEDS dir])
function(hm_fuzz_target name)
  cmake_parse_arguments(FUZZ "" "SEEDS" "" ${ARGN})
  add_executable(${name} ${HM_FUZZ_DIR}/${name}.cpp)
  target_link_libraries(${name} PRIVATE ${FUZZ_UNPARSED_ARGUMENTS})
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  add_dependencies(fuzzers ${name})
  add_test(NAME fuzz.${name}
    COMMAND ${HM_FUZZ_DIR}/run_fuzzer.sh $<TARGET_FILE:${name}> ${HM_FUZZ_SECONDS}
      ${HM_FUZZ_WORK}/${name} ${FUZZ_SEEDS})
  set_tests_properties(fuzz.${name} PROPERTIES LABELS fuzz)
endfunction()

# Seeds for the frame-level fuzzer: the first frames of every test capture.
add_executable(extract_frames ${HM_FUZZ_DIR}/extract_frames.cpp)
target_link_libraries(extract_frames PRIVATE capture)
add_dependencies(fuzzers extract_frames)
file(GLOB seed_captures ${HM_TESTDATA_DIR}/pcaps/*.pcap ${HM_TESTDATA_DIR}/pcaps/*.pcapng)
add_test(NAME fuzz.seeds
  COMMAND extract_frames ${HM_FUZZ_WORK}/frame-seeds 40 ${CMAKE_SOURCE_DIR}/tools/sample/school-morning.pcap ${seed_captures})
set_tests_properties(fuzz.seeds PROPERTIES LABELS fuzz FIXTURES_SETUP fuzz_seeds)

hm_fuzz_target(inspector_fuzz dissect SEEDS ${HM_FUZZ_WORK}/frame-seeds)
set_tests_properties(fuzz.inspector_fuzz PROPERTIES FIXTURES_REQUIRED fuzz_seeds)
hm_fuzz_target(library_source_fuzz library match SEEDS ${CMAKE_SOURCE_DIR}/firmware/library)
hm_fuzz_target(decoder_fuzz decode SEEDS ${HM_FUZZ_WORK}/frame-seeds)
set_tests_properties(fuzz.decoder_fuzz PROPERTIES FIXTURES_REQUIRED fuzz_seeds)
hm_fuzz_target(defragmenter_fuzz decode)
hm_fuzz_target(tcp_reassembly_fuzz flows)
hm_fuzz_target(dns_fuzz dissect)
hm_fuzz_target(tls_fuzz dissect)
hm_fuzz_target(quic_fuzz dissect)
hm_fuzz_target(dhcp_fuzz dissect)
hm_fuzz_target(http_body_fuzz dissect)
hm_fuzz_target(http_search_fuzz dissect)
hm_fuzz_target(normalise_fuzz match)
hm_fuzz_target(bundle_fuzz library)
hm_fuzz_target(people_csv_fuzz evidence SEEDS ${HM_FUZZ_DIR}/seeds/people_csv)
hm_fuzz_target(alert_rules_fuzz alerts)
hm_fuzz_target(e2guardian_fuzz library match SEEDS ${HM_TESTDATA_DIR}/lists/e2guardian-phraselists/ukenglish/weapons)
