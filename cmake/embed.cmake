# safeval_embed_data(OUT file...): generates OUT, a C++ file defining
# safeval::EmbeddedFile(path) over the given files under data/ (see core/embedded.h).
function(safeval_embed_data out)
  set(inputs "")
  foreach(f ${ARGN})
    list(APPEND inputs ${CMAKE_SOURCE_DIR}/data/${f})
  endforeach()
  string(REPLACE ";" "|" files "${ARGN}")  # a list would split into separate arguments
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DDATA_DIR=${CMAKE_SOURCE_DIR}/data "-DFILES=${files}"
            -P ${CMAKE_SOURCE_DIR}/cmake/embed_script.cmake
    DEPENDS ${inputs} ${CMAKE_SOURCE_DIR}/cmake/embed_script.cmake
    COMMENT "Embedding data files" VERBATIM)
endfunction()

# safeval_embed_dir(OUT DIR FUNCTION HEADER file...): as safeval_embed_data for files under DIR (relative
# to the source folder), defining safeval::FUNCTION(path), declared in HEADER
# (server/static_files.h declares WebFile for the files under web/).
function(safeval_embed_dir out dir function header)
  set(inputs "")
  foreach(f ${ARGN})
    list(APPEND inputs ${CMAKE_SOURCE_DIR}/${dir}/${f})
  endforeach()
  string(REPLACE ";" "|" files "${ARGN}")
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DDATA_DIR=${CMAKE_SOURCE_DIR}/${dir} "-DFILES=${files}"
            -DFUNCTION=${function} -DHEADER=${header}
            -P ${CMAKE_SOURCE_DIR}/cmake/embed_script.cmake
    DEPENDS ${inputs} ${CMAKE_SOURCE_DIR}/cmake/embed_script.cmake
    COMMENT "Embedding ${dir} files" VERBATIM)
endfunction()
