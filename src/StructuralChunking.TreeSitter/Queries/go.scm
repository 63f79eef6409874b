; StructuralChunking additions to tree-sitter-go's tags.scm: package and imports.
(package_clause (package_identifier) @package)
(import_spec name: (package_identifier) @import.alias path: (interpreted_string_literal) @import.module) @import
(import_spec path: (interpreted_string_literal) @import.module) @import
; Package-level `var NAME = func(…) {…}` (alone or in a var block) is a function; `var NAME = call(…, func(…) {…})` a value.
(source_file (var_declaration (var_spec name: (identifier) @name value: (expression_list . (func_literal) .)) @definition.function))
(source_file (var_declaration (var_spec_list (var_spec name: (identifier) @name value: (expression_list . (func_literal) .)) @definition.function)))
(source_file (var_declaration (var_spec name: (identifier) @name value: (expression_list . (call_expression arguments: (argument_list (func_literal))) .)) @definition.value))
(source_file (var_declaration (var_spec_list (var_spec name: (identifier) @name value: (expression_list . (call_expression arguments: (argument_list (func_literal))) .)) @definition.value)))
