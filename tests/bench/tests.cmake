# Benchmarks print figures and are not tests: built with everything, never run by
# ctest. tests/bench/README.md names the commands.
# The daemon's pipeline without the web server: app/pipeline.cpp built in, so the
# benchmark needs only the stages the packets pass through.
add_executable(pipeline_bench ${CMAKE_CURRENT_SOURCE_DIR}/bench/pipeline_bench.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/bench/generated_library.cpp
  ${CMAKE_SOURCE_DIR}/firmware/src/app/pipeline.cpp)
target_link_libraries(pipeline_bench PRIVATE capture decode dissect match library evidence store)
target_compile_definitions(pipeline_bench PRIVATE HM_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
set_target_properties(pipeline_bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/bench)

add_executable(matcher_bench ${CMAKE_CURRENT_SOURCE_DIR}/bench/matcher_bench.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/bench/generated_library.cpp)
target_link_libraries(matcher_bench PRIVATE library match)
target_compile_definitions(matcher_bench PRIVATE HM_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
set_target_properties(matcher_bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/bench)

add_executable(login_bench ${CMAKE_CURRENT_SOURCE_DIR}/bench/login_bench.cpp)
target_link_libraries(login_bench PRIVATE crypto)
set_target_properties(login_bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/bench)

# The captures list and the dashboard over a large database (make_captures.py fills it).
add_executable(web_bench ${CMAKE_CURRENT_SOURCE_DIR}/bench/web_bench.cpp)
target_link_libraries(web_bench PRIVATE web store nlohmann_json::nlohmann_json)
set_target_properties(web_bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/bench)

# The reports over a large database (issue 7): figures, PDFs and the evidence pack.
add_executable(report_bench ${CMAKE_CURRENT_SOURCE_DIR}/bench/report_bench.cpp)
target_link_libraries(report_bench PRIVATE reports store)
set_target_properties(report_bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/bench)
