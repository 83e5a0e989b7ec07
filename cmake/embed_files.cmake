# Writes a C++ file that returns the contents of every file matching PATTERN in DIR, by
# name, so the executables carry the contracts they enforce (event schemas, SQL
# migrations) while the files in the repository stay the single source.
# Inputs: DIR, PATTERN, FUNCTION (qualified name), HEADER (to include), OUTPUT.
file(GLOB files "${DIR}/${PATTERN}")
list(SORT files)
set(body "// Generated from ${PATTERN} by cmake/embed_files.cmake. Do not edit.\n")
string(APPEND body "#include \"${HEADER}\"\n\n")
string(APPEND body "std::vector<std::pair<std::string, std::string_view>> ${FUNCTION}() {\n    return {\n")
foreach(file IN LISTS files)
  get_filename_component(name "${file}" NAME)
  file(READ "${file}" content)
  string(APPEND body "        {\"${name}\", R\"likvard_embedded(${content})likvard_embedded\"},\n")
endforeach()
string(APPEND body "    };\n}\n")
file(WRITE "${OUTPUT}.tmp" "${body}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
