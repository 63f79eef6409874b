; StructuralChunking additions to tree-sitter-ruby's tags.scm: require and superclasses.
((call method: (identifier) @_method arguments: (argument_list . (string (string_content) @import.module)))
 (#any-of? @_method "require" "require_relative")) @import
(class superclass: (superclass [(constant) (scope_resolution)] @name)) @relation.base
