# Embeds source files (harness programs) into a library at build time, so they live as real files
# that are linted and tested in their own language. Each file becomes a byte array; the generated
# lookup `embedded_file("<name>")` returns it (an empty view for an unknown name).
#
#   codejudge_embed(TARGET lib NAMESPACE ns HEADER path/embedded.h FILES a.py b.cpp ...
#                   [DEPENDS target ...])
#
# HEADER is the include path the generated header is reached by (it lands in the binary dir).
# FILES may name a built file ($<TARGET_FILE:t>) when DEPENDS names the target that builds it.
function(codejudge_embed)
  cmake_parse_arguments(ARG "" "TARGET;NAMESPACE;HEADER" "FILES;DEPENDS" ${ARGN})
  set(out_dir ${CMAKE_CURRENT_BINARY_DIR}/embedded)
  set(header ${out_dir}/${ARG_HEADER})
  set(source ${out_dir}/embedded_files.cpp)
  set(files)
  foreach(f IN LISTS ARG_FILES)
    if(f MATCHES "^\\$<")
      list(APPEND files ${f})
    else()
      get_filename_component(abs ${f} ABSOLUTE)
      list(APPEND files ${abs})
    endif()
  endforeach()
  add_custom_command(
    OUTPUT ${header} ${source}
    COMMAND ${CMAKE_COMMAND} -DNAMESPACE=${ARG_NAMESPACE} -DHEADER=${header}
            -DHEADER_INCLUDE=${ARG_HEADER} -DSOURCE=${source} "-DFILES=${files}"
            -P ${PROJECT_SOURCE_DIR}/cmake/EmbedGenerate.cmake
    DEPENDS ${files} ${ARG_DEPENDS} ${PROJECT_SOURCE_DIR}/cmake/EmbedGenerate.cmake
    COMMENT "Embedding ${ARG_HEADER}"
    VERBATIM)
  target_sources(${ARG_TARGET} PRIVATE ${header} ${source})
  target_include_directories(${ARG_TARGET} PRIVATE ${out_dir})
endfunction()
