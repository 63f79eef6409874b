; StructuralChunking additions shared by JavaScript, TypeScript and TSX: ES imports and CommonJS require.
(import_statement source: (string (string_fragment) @import.module)) @import
(import_statement (import_clause (identifier) @import.alias) source: (string (string_fragment) @import.module)) @import
(import_statement (import_clause (namespace_import (identifier) @import.alias)) source: (string (string_fragment) @import.module)) @import
(import_statement (import_clause (named_imports (import_specifier name: (_) @import.name))) source: (string (string_fragment) @import.module)) @import
(import_statement (import_clause (named_imports (import_specifier name: (_) @import.name alias: (_) @import.alias))) source: (string (string_fragment) @import.module)) @import
((variable_declarator
   name: (identifier) @import.alias
   value: (call_expression function: (identifier) @_require arguments: (arguments . (string (string_fragment) @import.module))))
 (#eq? @_require "require")) @import
((variable_declarator
   name: (object_pattern (shorthand_property_identifier_pattern) @import.name)
   value: (call_expression function: (identifier) @_require arguments: (arguments . (string (string_fragment) @import.module))))
 (#eq? @_require "require")) @import
((variable_declarator
   name: (object_pattern (pair_pattern key: (property_identifier) @import.name value: (identifier) @import.alias))
   value: (call_expression function: (identifier) @_require arguments: (arguments . (string (string_fragment) @import.module))))
 (#eq? @_require "require")) @import
((expression_statement (call_expression function: (identifier) @_require arguments: (arguments . (string (string_fragment) @import.module))))
 (#eq? @_require "require")) @import
