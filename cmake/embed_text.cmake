# Writes OUTPUT, a C++ file defining `std::string_view ${FUNCTION}()` in namespace ${NAMESPACE}
# that returns the bytes of INPUT: for documents the binaries serve as they were built.
# Run with: cmake -DINPUT=... -DOUTPUT=... -DNAMESPACE=... -DFUNCTION=... -P embed_text.cmake
file(READ "${INPUT}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
file(WRITE "${OUTPUT}"
  "// Generated from ${INPUT} by cmake/embed_text.cmake; do not edit.\n"
  "#include <string_view>\n\n"
  "namespace ${NAMESPACE} {\n\n"
  "namespace {\nconstexpr char kBytes[] = {${bytes}};\n}  // namespace\n\n"
  "std::string_view ${FUNCTION}() { return std::string_view(kBytes, sizeof(kBytes)); }\n\n"
  "}  // namespace ${NAMESPACE}\n")
