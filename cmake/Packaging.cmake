# The daemon as a Debian package (CPack DEB), so the box's image (tools/build-image)
# installs it like any other package: `cpack -G DEB` in a build folder, native or
# cross (cmake/toolchain-arm64.cmake). The package carries the binary, its systemd
# units, udev rule, sysusers/tmpfiles/sysctl snippets and default config from rootfs/;
# the box-only files there (network, fstab, journald, repart) stay with the image.
set(hm_rootfs ${CMAKE_SOURCE_DIR}/rootfs)
install(FILES ${hm_rootfs}/usr/lib/systemd/system/hallmonitor.service
              ${hm_rootfs}/usr/lib/systemd/system/hallmonitor-setup-code.service
              ${hm_rootfs}/etc/systemd/system/hallmonitor-usb-library@.service
        DESTINATION lib/systemd/system)
install(FILES ${hm_rootfs}/etc/udev/rules.d/90-hallmonitor-usb-library.rules
        DESTINATION lib/udev/rules.d)
install(PROGRAMS ${hm_rootfs}/usr/lib/hallmonitor/usb-library-import
                 ${hm_rootfs}/usr/lib/hallmonitor/show-setup-code
        DESTINATION lib/hallmonitor)
install(FILES ${hm_rootfs}/usr/lib/sysusers.d/hallmonitor.conf DESTINATION lib/sysusers.d)
install(FILES ${hm_rootfs}/usr/lib/tmpfiles.d/hallmonitor.conf DESTINATION lib/tmpfiles.d)
install(FILES ${hm_rootfs}/usr/lib/sysctl.d/50-hallmonitor.conf DESTINATION lib/sysctl.d)
# /etc is outside the install prefix (/usr), so it is given absolutely.
install(FILES ${hm_rootfs}/etc/hallmonitor/hallmonitor.conf DESTINATION /etc/hallmonitor)

# The starter library (firmware/library) where the installed daemon reads it: an
# image configures HM_LIBRARY_INSTALL_DIR (firmware/src/library/CMakeLists.txt compiles
# that path in). (`run --set library_dir=` would not do: an explicit folder turns off
# signed bundles and USB updates.)
set(HM_LIBRARY_INSTALL_DIR "" CACHE STRING
    "Where the packaged daemon reads the starter library (empty: the source tree)")
if(HM_LIBRARY_INSTALL_DIR)
  install(DIRECTORY ${CMAKE_SOURCE_DIR}/firmware/library/ DESTINATION ${HM_LIBRARY_INSTALL_DIR})
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME hallmonitor)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "hallmonitor maintainers <hallmonitor@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "safeguarding monitor for a primary school's network")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "Watches a school's mirrored traffic for \
safeguarding concerns, keeps sealed evidence and serves its web UI at \
https://hallmonitor.local.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# dpkg-shlibdeps reads the binary's NEEDED libraries and finds which packages hold
# them. Cross-built, it must look among the :arm64 packages (multiarch): cpack reads
# CPACK_PROJECT_CONFIG_FILE when it runs, which sets DEB_HOST_ARCH for it.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
  set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE arm64)
  file(WRITE ${CMAKE_BINARY_DIR}/debian/cpack-cross.cmake "set(ENV{DEB_HOST_ARCH} arm64)\n")
  set(CPACK_PROJECT_CONFIG_FILE ${CMAKE_BINARY_DIR}/debian/cpack-cross.cmake)
endif()
# Used by postinst (systemd-sysusers, systemd-tmpfiles, systemctl) and the scripts
# (usb-library-import: mount; show-setup-code: runuser, ip).
# fonts-dejavu-core: the font the PDF reports are drawn in (fontconfig finds no font
# on a minbase image otherwise, and pango would draw empty boxes).
set(CPACK_DEBIAN_PACKAGE_DEPENDS "systemd, util-linux, mount, iproute2, fonts-dejavu-core")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "systemd-resolved, systemd-timesyncd")
# The box gets the stripped binary (a quarter of the size); build-arm64/ keeps the
# symbols for reading a crash.
set(CPACK_STRIP_FILES ON)

# Maintainer scripts and conffiles, written into the build folder.
set(hm_debian ${CMAKE_BINARY_DIR}/debian)
file(WRITE ${hm_debian}/conffiles "/etc/hallmonitor/hallmonitor.conf\n")
file(WRITE ${hm_debian}/postinst [=[#!/bin/sh
# The daemon's user and data folder, then the unit enabled (also in an image's chroot,
# where systemd is not running: systemctl enable only makes the links).
set -e
if [ "$1" = configure ]; then
  systemd-sysusers hallmonitor.conf
  systemd-tmpfiles --create hallmonitor.conf || true
  systemctl enable hallmonitor.service hallmonitor-setup-code.service >/dev/null || true
  if [ -d /run/systemd/system ]; then
    systemctl daemon-reload
    udevadm control --reload-rules || true
    sysctl --system >/dev/null || true
    systemctl restart hallmonitor.service || true
  fi
fi
]=])
file(WRITE ${hm_debian}/prerm [=[#!/bin/sh
set -e
if [ -d /run/systemd/system ] && [ "$1" = remove ]; then
  systemctl stop hallmonitor.service || true
fi
]=])
file(WRITE ${hm_debian}/postrm [=[#!/bin/sh
# The data folder (evidence, keys) is kept: erasing it is `hallmonitor admin erase`'s job.
set -e
if [ "$1" = remove ] || [ "$1" = purge ]; then
  systemctl disable hallmonitor.service hallmonitor-setup-code.service >/dev/null 2>&1 || true
  [ -d /run/systemd/system ] && systemctl daemon-reload || true
fi
]=])
file(CHMOD ${hm_debian}/postinst ${hm_debian}/prerm ${hm_debian}/postrm
     PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ
                 WORLD_EXECUTE)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${hm_debian}/conffiles ${hm_debian}/postinst ${hm_debian}/prerm ${hm_debian}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
