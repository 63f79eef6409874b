; StructuralChunking additions to tree-sitter-ruby's tags.scm: require and superclasses.
((call method: (identifier) @_method arguments: (argument_list . (string (string_content) @import.module)))
 (#any-of? @_method "require" "require_relative")) @import
(class superclass: (superclass [(constant) (scope_resolution)] @name)) @relation.base
; RSpec/Minitest-spec blocks named by their description: describe/context group, it/specify/scenario are tests.
((call method: (identifier) @_m arguments: (argument_list . [(string (string_content) @name) (constant) @name (scope_resolution) @name]) block: [(do_block) (block)]) @definition.testsuite
 (#any-of? @_m "describe" "context" "feature" "shared_examples" "shared_context"))
((call method: (identifier) @_m arguments: (argument_list . (string (string_content) @name)) block: [(do_block) (block)]) @definition.testcase
 (#any-of? @_m "it" "specify" "scenario" "example" "test"))
