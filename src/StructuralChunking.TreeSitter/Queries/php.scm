; StructuralChunking additions to tree-sitter-php's tags.scm: namespace, use, bases.
(namespace_definition name: (namespace_name) @package)
(namespace_use_clause [(name) (qualified_name)] @import.module) @import
(base_clause [(name) (qualified_name)] @name) @relation.base
(class_interface_clause [(name) (qualified_name)] @name) @relation.base
