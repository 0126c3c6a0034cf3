# Every dependency comes from a Debian bookworm package (see README "Dependencies").
find_package(PkgConfig REQUIRED)
pkg_check_modules(PCAP REQUIRED IMPORTED_TARGET libpcap)
pkg_check_modules(HS REQUIRED IMPORTED_TARGET libhs)          # vectorscan's Hyperscan API
pkg_check_modules(SQLITE REQUIRED IMPORTED_TARGET sqlite3)
find_package(Boost 1.74 REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(ZLIB REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(Threads REQUIRED)

# mbedTLS 2.28 ships neither pkg-config nor CMake files.
find_path(MBEDTLS_INCLUDE_DIR mbedtls/version.h REQUIRED)
find_library(MBEDTLS_LIBRARY mbedtls REQUIRED)
find_library(MBEDX509_LIBRARY mbedx509 REQUIRED)
find_library(MBEDCRYPTO_LIBRARY mbedcrypto REQUIRED)
add_library(mbedtls_all INTERFACE)
target_include_directories(mbedtls_all SYSTEM INTERFACE ${MBEDTLS_INCLUDE_DIR})
target_link_libraries(mbedtls_all INTERFACE ${MBEDTLS_LIBRARY} ${MBEDX509_LIBRARY} ${MBEDCRYPTO_LIBRARY})

# Boost.Asio and Boost.Beast are compiled once (firmware/third_party/boost_impl.cpp)
# instead of in every file that includes them: on a 2-core machine this halves the build.
add_library(boost_beast_asio STATIC ${CMAKE_SOURCE_DIR}/firmware/third_party/boost_impl.cpp)
target_compile_definitions(boost_beast_asio PUBLIC
  BOOST_ASIO_SEPARATE_COMPILATION BOOST_BEAST_SEPARATE_COMPILATION BOOST_ASIO_NO_DEPRECATED)
# GCC 12 with -fsanitize=address reports maybe-uninitialized inside Beast's parser
# templates: third-party code we do not change, so that one warning is not an error here.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(boost_beast_asio PRIVATE -Wno-maybe-uninitialized)
endif()
target_link_libraries(boost_beast_asio PUBLIC Boost::boost OpenSSL::SSL OpenSSL::Crypto ZLIB::ZLIB Threads::Threads)
