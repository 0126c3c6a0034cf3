# The starter library's false-alarm rate on the benign corpus and its recall on the
# planted concerns (issue 4); tools/test prints the figures the test leaves behind.
add_test(NAME library.precision_recall
  COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/benign/precision_recall_test.py
    $<TARGET_FILE:hallmonitor> ${CMAKE_SOURCE_DIR}/firmware/library
    ${CMAKE_BINARY_DIR}/library-figures.txt)
# A figure, not a memory check: tools/test runs it in the normal flavour only.
set_tests_properties(library.precision_recall PROPERTIES LABELS figures)
