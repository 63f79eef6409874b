; StructuralChunking additions for TypeScript and TSX (after JavaScript's and TypeScript's tags.scm).
(extends_clause value: [(identifier) (member_expression)] @name) @relation.base
(implements_clause [(type_identifier) (nested_type_identifier)] @name) @relation.base
(extends_type_clause [(type_identifier) (nested_type_identifier)] @name) @relation.base
(enum_declaration name: (identifier) @name) @definition.class
(type_alias_declaration name: (type_identifier) @name) @definition.type
(internal_module name: (_) @name) @definition.module
(method_definition name: (property_identifier) @name (#eq? @name "constructor")) @definition.method
; Module-level values behind a type assertion or `satisfies` (`export const routes = {…} as const`).
(program (lexical_declaration (variable_declarator name: (identifier) @name value: [(as_expression) (satisfies_expression)]) @definition.value))
(program (export_statement declaration: (lexical_declaration (variable_declarator name: (identifier) @name value: [(as_expression) (satisfies_expression)]) @definition.value)))
