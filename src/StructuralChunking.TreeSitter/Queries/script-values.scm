; StructuralChunking additions shared by JavaScript, TypeScript and TSX: definitions made by a value rather than a
; declaration, and test blocks.
; Module-level `const/let/var NAME = <call|new|object|class>` (exported or not), `module.exports = …`,
; `module.exports.NAME = …`, `exports.NAME = …`: a named definition whose nested functions become its members
; (arrow and function values are the grammar's own function tags). `require(…)` values are imports, not definitions.
((program (lexical_declaration (variable_declarator name: (identifier) @name value: [(call_expression) (new_expression) (object) (await_expression)]) @definition.value))
 (#not-match? @definition.value "^[^=]*=\\s*require\\s*\\("))
((program (variable_declaration (variable_declarator name: (identifier) @name value: [(call_expression) (new_expression) (object) (await_expression)]) @definition.value))
 (#not-match? @definition.value "^[^=]*=\\s*require\\s*\\("))
((program (export_statement declaration: (lexical_declaration (variable_declarator name: (identifier) @name value: [(call_expression) (new_expression) (object) (await_expression)]) @definition.value)))
 (#not-match? @definition.value "^[^=]*=\\s*require\\s*\\("))
(program (lexical_declaration (variable_declarator name: (identifier) @name value: (class)) @definition.class))
(program (variable_declaration (variable_declarator name: (identifier) @name value: (class)) @definition.class))
(program (export_statement declaration: (lexical_declaration (variable_declarator name: (identifier) @name value: (class)) @definition.class)))
((program (expression_statement (assignment_expression
   left: (member_expression object: (identifier) @_module property: (property_identifier) @_exports) @name
   right: [(call_expression) (new_expression) (object) (class)]) @definition.value))
 (#eq? @_module "module") (#eq? @_exports "exports") (#not-match? @definition.value "^[^=]*=\\s*require\\s*\\("))
((program (expression_statement (assignment_expression
   left: (member_expression object: (identifier) @_exports property: (property_identifier) @name)
   right: [(call_expression) (new_expression) (object) (class)]) @definition.value))
 (#eq? @_exports "exports") (#not-match? @definition.value "^[^=]*=\\s*require\\s*\\("))
((program (expression_statement (assignment_expression
   left: (member_expression object: (member_expression object: (identifier) @_module property: (property_identifier) @_exports) property: (property_identifier) @name)
   right: [(call_expression) (new_expression) (object) (class)]) @definition.value))
 (#eq? @_module "module") (#eq? @_exports "exports") (#not-match? @definition.value "^[^=]*=\\s*require\\s*\\("))

; Test blocks (Jest, Vitest, Mocha, Jasmine, node:test), named by their description: describe/context/suite group
; tests (their scope), it/test/specify are tests. Also .only/.skip/.each forms.
((call_expression
   function: [(identifier) @_fn (member_expression object: (identifier) @_fn) (call_expression function: (member_expression object: (identifier) @_fn))]
   arguments: (arguments . [(string (string_fragment) @name) (template_string) @name] [(arrow_function) (function_expression)])) @definition.testsuite
 (#any-of? @_fn "describe" "context" "suite" "fdescribe" "xdescribe"))
((call_expression
   function: [(identifier) @_fn (member_expression object: (identifier) @_fn) (call_expression function: (member_expression object: (identifier) @_fn))]
   arguments: (arguments . [(string (string_fragment) @name) (template_string) @name] [(arrow_function) (function_expression)])) @definition.testcase
 (#any-of? @_fn "it" "test" "specify" "fit" "xit" "bench"))
