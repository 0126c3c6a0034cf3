# Cross-building the daemon for the box (64-bit Arm, Debian bookworm) on an amd64
# Debian 12 machine, with Debian's cross compiler and the :arm64 development packages
# installed side by side through multiarch (tools/build-image installs them):
#   dpkg --add-architecture arm64
#   apt-get install crossbuild-essential-arm64 libpcap-dev:arm64 libvectorscan-dev:arm64 ...
# Usage: cmake -S . -B build-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-arm64.cmake \
#          -DHM_BUILD_TESTS=OFF
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

# Multiarch puts arm64 libraries beside the host's in /usr (lib/aarch64-linux-gnu,
# include/aarch64-linux-gnu), so the root to search is the host's own /usr: there is no
# separate sysroot. Programs (npm, cmake) still come from the host.
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)

# pkg-config must read the arm64 .pc files, never the host's.
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")
