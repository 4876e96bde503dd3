# Named-argument helpers so that every module declares its targets the same way.
#   durable_cc_library(NAME base SRCS a.cc b.cc DEPS fmt::fmt)  -> target durable_base, alias durable::base
#   durable_cc_test(NAME base_test SRCS status_test.cc DEPS durable::base)
include(CMakeParseArguments)

function(durable_cc_library)
  cmake_parse_arguments(L "" "NAME" "SRCS;DEPS;PRIVATE_DEPS" ${ARGN})
  if(L_SRCS)
    add_library(durable_${L_NAME} STATIC ${L_SRCS})
    target_include_directories(durable_${L_NAME} PUBLIC ${PROJECT_SOURCE_DIR})
    target_link_libraries(durable_${L_NAME} PUBLIC ${L_DEPS} PRIVATE ${L_PRIVATE_DEPS})
  else()
    add_library(durable_${L_NAME} INTERFACE)
    target_include_directories(durable_${L_NAME} INTERFACE ${PROJECT_SOURCE_DIR})
    target_link_libraries(durable_${L_NAME} INTERFACE ${L_DEPS})
  endif()
  add_library(durable::${L_NAME} ALIAS durable_${L_NAME})
endfunction()

function(durable_cc_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${T_NAME} ${T_SRCS})
  target_link_libraries(${T_NAME} PRIVATE ${T_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  gtest_discover_tests(${T_NAME} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "unit;${T_LABELS}")
endfunction()

# durable_read_for_embedding(<var> <file> <delimiter>): reads <file> into <var> for a generated .cc
# that holds it as the raw string R"<delimiter>(...)<delimiter>" (configure_file); editing the
# file re-runs CMake.
function(durable_read_for_embedding VAR FILE DELIM)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${FILE})
  file(READ ${FILE} text)
  if(text MATCHES "\\)${DELIM}\"")
    message(FATAL_ERROR "${FILE} contains the raw-string delimiter )${DELIM}\"")
  endif()
  set(${VAR} "${text}" PARENT_SCOPE)
endfunction()
