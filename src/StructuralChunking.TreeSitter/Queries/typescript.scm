; StructuralChunking additions for TypeScript and TSX (after JavaScript's and TypeScript's tags.scm).
(extends_clause value: [(identifier) (member_expression)] @name) @relation.base
(implements_clause [(type_identifier) (nested_type_identifier)] @name) @relation.base
(extends_type_clause [(type_identifier) (nested_type_identifier)] @name) @relation.base
(enum_declaration name: (identifier) @name) @definition.class
(type_alias_declaration name: (type_identifier) @name) @definition.type
(internal_module name: (_) @name) @definition.module
(method_definition name: (property_identifier) @name (#eq? @name "constructor")) @definition.method
