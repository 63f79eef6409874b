; StructuralChunking additions to tree-sitter-rust's tags.scm: use declarations, trait impls, path calls.
(use_declaration argument: (scoped_identifier path: (_) @import.module name: (identifier) @import.name)) @import
(use_declaration argument: (scoped_use_list path: (_) @import.module list: (use_list (identifier) @import.name))) @import
(use_declaration argument: (use_as_clause path: (scoped_identifier path: (_) @import.module name: (identifier) @import.name) alias: (identifier) @import.alias)) @import
(impl_item trait: [(type_identifier) (scoped_type_identifier) (generic_type)] @name) @relation.base
(call_expression function: (scoped_identifier name: (identifier) @name)) @reference.call
