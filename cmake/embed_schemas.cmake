# Writes a C++ file holding every schemas/events/*.schema.json as a string, so the
# executables carry the contract they validate against (the JSON files stay the source).
# Inputs: SCHEMA_DIR, OUTPUT.
file(GLOB schema_files "${SCHEMA_DIR}/*.schema.json")
list(SORT schema_files)
set(body "// Generated from schemas/events/ by cmake/embed_schemas.cmake. Do not edit.\n")
string(APPEND body "#include \"events/events.hpp\"\n\nnamespace likvard {\n\n")
string(APPEND body "std::vector<std::pair<std::string, std::string_view>> embedded_event_schemas() {\n    return {\n")
foreach(file IN LISTS schema_files)
  get_filename_component(name "${file}" NAME)
  file(READ "${file}" content)
  string(APPEND body "        {\"${name}\", R\"likvard_schema(${content})likvard_schema\"},\n")
endforeach()
string(APPEND body "    };\n}\n\n}  // namespace likvard\n")
file(WRITE "${OUTPUT}.tmp" "${body}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
