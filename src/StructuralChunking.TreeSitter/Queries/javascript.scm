; StructuralChunking additions to tree-sitter-javascript's tags.scm: base classes and constructors.
(class_heritage [(identifier) (member_expression)] @name) @relation.base
(method_definition name: (property_identifier) @name (#eq? @name "constructor")) @definition.method
