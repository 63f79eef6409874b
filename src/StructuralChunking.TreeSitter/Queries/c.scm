; StructuralChunking additions to tree-sitter-c's tags.scm (which has no references): includes and calls.
(preproc_include path: (string_literal) @import.module) @import
(call_expression function: (identifier) @name) @reference.call
(call_expression function: (field_expression field: (field_identifier) @name)) @reference.call
