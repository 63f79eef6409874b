; StructuralChunking additions to tree-sitter-java's tags.scm: package, imports, more type kinds, bases.
(package_declaration [(scoped_identifier) (identifier)] @package)
(import_declaration (scoped_identifier scope: (_) @import.module name: (identifier) @import.name)) @import
(import_declaration (scoped_identifier) @import.module (asterisk)) @import
(constructor_declaration name: (identifier) @name) @definition.method
(enum_declaration name: (identifier) @name) @definition.class
(record_declaration name: (identifier) @name) @definition.class
(superclass [(type_identifier) (generic_type (type_identifier)) (scoped_type_identifier)] @name) @relation.base
(super_interfaces (type_list [(type_identifier) (scoped_type_identifier)] @name)) @relation.base
(extends_interfaces (type_list [(type_identifier) (scoped_type_identifier)] @name)) @relation.base
