# embed_files(<target-var-for-cpp> DIR <dir> PATTERN <glob> FUNCTION <name> HEADER <header>)
function(likvard_embed_files out_var)
  cmake_parse_arguments(E "" "DIR;PATTERN;FUNCTION;HEADER;NAME" "" ${ARGN})
  file(GLOB inputs CONFIGURE_DEPENDS "${E_DIR}/${E_PATTERN}")
  set(output ${CMAKE_CURRENT_BINARY_DIR}/${E_NAME}.cpp)
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DDIR=${E_DIR} -DPATTERN=${E_PATTERN} -DFUNCTION=${E_FUNCTION}
            -DHEADER=${E_HEADER} -DOUTPUT=${output} -P ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake
    DEPENDS ${inputs} ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake
    COMMENT "Embedding ${E_PATTERN} from ${E_DIR}")
  set(${out_var} ${output} PARENT_SCOPE)
endfunction()
