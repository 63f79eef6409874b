; StructuralChunking additions to tree-sitter-python's tags.scm: imports and base classes.
(import_statement name: (dotted_name) @import.module) @import
(import_statement name: (aliased_import name: (dotted_name) @import.module alias: (identifier) @import.alias)) @import
(import_from_statement module_name: (_) @import.module name: (dotted_name) @import.name) @import
(import_from_statement module_name: (_) @import.module name: (aliased_import name: (dotted_name) @import.name alias: (identifier) @import.alias)) @import
(import_from_statement module_name: (_) @import.module (wildcard_import) @import.name) @import
(class_definition superclasses: (argument_list [(identifier) (attribute)] @name)) @relation.base
; Module-level `NAME = call(…)` and `NAME = lambda …`: named definitions.
(module (expression_statement (assignment left: (identifier) @name right: (call)) @definition.value))
(module (expression_statement (assignment left: (identifier) @name right: (lambda)) @definition.function))
