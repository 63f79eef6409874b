; StructuralChunking additions to tree-sitter-c-sharp's tags.scm: namespaces, usings, more type kinds, bases, calls.
(namespace_declaration name: (qualified_name) @name) @definition.module
(namespace_declaration name: (_) @package)
(file_scoped_namespace_declaration name: (_) @package)
(using_directive [(identifier) (qualified_name)] @import.module) @import
(struct_declaration name: (identifier) @name) @definition.class
(record_declaration name: (identifier) @name) @definition.class
(enum_declaration name: (identifier) @name) @definition.class
(constructor_declaration name: (identifier) @name) @definition.method
(base_list [(identifier) (qualified_name)] @name) @relation.base
(base_list (generic_name (identifier) @name)) @relation.base
(invocation_expression function: (identifier) @name) @reference.call
