# Shared compile settings for every cvdbot target.
function(cvdbot_settings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  if(CVDBOT_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  target_include_directories(${target} PUBLIC
    ${PROJECT_SOURCE_DIR}/include ${PROJECT_BINARY_DIR}/generated)
endfunction()

if(CVDBOT_SANITIZE)
  # float-cast-overflow is not part of g++'s "undefined" (it is of clang's); a float converted to
  # an integer out of range was found by the clang fuzz build only until it was added here.
  add_compile_options(-fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined,float-cast-overflow)
endif()

# cvdbot_module(name SOURCES ... DEPS ...): one static library per module, cvdbot_<name>.
function(cvdbot_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(cvdbot_${name} STATIC ${M_SOURCES})
  cvdbot_settings(cvdbot_${name})
  target_link_libraries(cvdbot_${name} PUBLIC ${M_DEPS} PRIVATE ${M_PRIVATE_DEPS})
endfunction()

# cvdbot_test(name SOURCES ... DEPS ...): one Catch2 executable per module's tests.
function(cvdbot_test name)
  cmake_parse_arguments(T "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(test_${name} ${T_SOURCES})
  cvdbot_settings(test_${name})
  target_link_libraries(test_${name} PRIVATE ${T_DEPS} Catch2::Catch2WithMain)
  target_compile_definitions(test_${name} PRIVATE
    CVDBOT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  catch_discover_tests(test_${name} PROPERTIES LABELS unit)
endfunction()

# cvdbot_fuzz_targets(PREFIX p TARGETS t... DEPS ... CORPUS dir...): libFuzzer executables built
# from <t>.cpp (clang, CVDBOT_FUZZ=ON), each a ctest labelled `fuzz` that runs for
# CVDBOT_FUZZ_SECONDS on a copy of the corpus and fails on any crash, leak or sanitizer report.
set(CVDBOT_FUZZ_SECONDS 60 CACHE STRING "Seconds each fuzz target runs under ctest")
function(cvdbot_fuzz_targets)
  cmake_parse_arguments(F "" "PREFIX" "TARGETS;DEPS;CORPUS" ${ARGN})
  foreach(target ${F_TARGETS})
    add_executable(${target} ${target}.cpp)
    cvdbot_settings(${target})
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer)
    target_link_options(${target} PRIVATE -fsanitize=fuzzer)
    target_link_libraries(${target} PRIVATE ${F_DEPS})
    set(work ${CMAKE_CURRENT_BINARY_DIR}/${target}_corpus)
    file(MAKE_DIRECTORY ${work})
    add_test(NAME ${F_PREFIX}_${target}
             COMMAND ${target} -max_total_time=${CVDBOT_FUZZ_SECONDS} -timeout=10 -rss_limit_mb=2048
                     -print_final_stats=1 ${work} ${F_CORPUS})
    set_tests_properties(${F_PREFIX}_${target} PROPERTIES LABELS fuzz TIMEOUT 900)
  endforeach()
endfunction()
