# Benchmarks print figures and are not tests: built with everything, never run by
# ctest. tests/bench/README.md names the commands.
add_executable(pipeline_bench ${CMAKE_CURRENT_SOURCE_DIR}/bench/pipeline_bench.cpp)
target_link_libraries(pipeline_bench PRIVATE dissect capture)
set_target_properties(pipeline_bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/bench)

add_executable(matcher_bench ${CMAKE_CURRENT_SOURCE_DIR}/bench/matcher_bench.cpp)
target_link_libraries(matcher_bench PRIVATE library match)
target_compile_definitions(matcher_bench PRIVATE HM_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
set_target_properties(matcher_bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/bench)

add_executable(login_bench ${CMAKE_CURRENT_SOURCE_DIR}/bench/login_bench.cpp)
target_link_libraries(login_bench PRIVATE crypto)
set_target_properties(login_bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/bench)
