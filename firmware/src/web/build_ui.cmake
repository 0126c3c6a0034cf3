# Builds the browser UI: `npm ci` when web/node_modules is missing or older than the
# lock file, then Vite into DIST_DIR. Run by the `web` target (see CMakeLists.txt).
# Usage: cmake -DNPM=npm -DWEB_DIR=web -DDIST_DIR=out -P build_ui.cmake

# Two build folders (normal, sanitizer) may build at once; only one runs npm at a time.
file(LOCK ${WEB_DIR}/.build.lock GUARD PROCESS TIMEOUT 900 RESULT_VARIABLE lock_result)
if(NOT lock_result STREQUAL "0")
  message(FATAL_ERROR "cannot lock ${WEB_DIR}/.build.lock: ${lock_result}")
endif()

set(installed ${WEB_DIR}/node_modules/.package-lock.json)
if(NOT EXISTS ${installed} OR ${WEB_DIR}/package-lock.json IS_NEWER_THAN ${installed})
  message(STATUS "web: npm ci (installs the UI's build tools from package-lock.json)")
  execute_process(COMMAND ${NPM} ci --no-audit --no-fund
                  WORKING_DIRECTORY ${WEB_DIR} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "web: `npm ci` failed in ${WEB_DIR} (is the network reachable?)")
  endif()
endif()

execute_process(COMMAND ${NPM} run build -- --outDir ${DIST_DIR} --emptyOutDir
                WORKING_DIRECTORY ${WEB_DIR} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "web: `npm run build` failed in ${WEB_DIR}; see the messages above")
endif()
