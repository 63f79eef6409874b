; StructuralChunking additions to tree-sitter-cpp's tags.scm (which has no references): includes, calls, bases.
(preproc_include path: (string_literal) @import.module) @import
(namespace_definition name: (namespace_identifier) @name) @definition.module
(call_expression function: (identifier) @name) @reference.call
(call_expression function: (field_expression field: (field_identifier) @name)) @reference.call
(call_expression function: (qualified_identifier name: (identifier) @name)) @reference.call
(new_expression type: (type_identifier) @name) @reference.class
(base_class_clause [(type_identifier) (qualified_identifier)] @name) @relation.base
