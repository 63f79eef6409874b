; StructuralChunking additions to tree-sitter-go's tags.scm: package and imports.
(package_clause (package_identifier) @package)
(import_spec name: (package_identifier) @import.alias path: (interpreted_string_literal) @import.module) @import
(import_spec path: (interpreted_string_literal) @import.module) @import
