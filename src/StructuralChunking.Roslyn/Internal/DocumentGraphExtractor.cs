using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StructuralChunking.Discovery;
using StructuralChunking.Graph;
using SymbolKind = StructuralChunking.Graph.SymbolKind;
using StructuralChunking.Text;

namespace StructuralChunking.Roslyn.Internal;

/// <summary>
/// Walks one syntax tree with its semantic model: declares a <see cref="CodeSymbol"/> for every declaration and records
/// the edges its body and signature imply, resolved by the semantic model (never by name).
/// </summary>
/// <remarks>
/// The member being walked is the "owner" of every reference found inside it; lambdas and anonymous methods have no
/// graph node of their own, so what they call is attributed to the member that contains them. Local functions are
/// graph nodes, children of their method.
/// </remarks>
internal sealed class DocumentGraphExtractor : CSharpSyntaxWalker
{
    private const int MaxSignatureLength = 400;

    private readonly SemanticModel _model;
    private readonly SymbolNaming _naming;
    private readonly string _path;
    private readonly SymbolTraits _traits;
    private readonly Dictionary<SyntaxNode, bool> _testTypes = [];
    private readonly Utf8OffsetMap _offsets;
    private readonly bool _includeTypeReferences;
    private readonly CancellationToken _cancellationToken;
    private readonly DocumentGraph _result = new();
    private readonly HashSet<SymbolId> _placeholders = [];
    private readonly HashSet<SymbolId> _relationsDone = [];
    private readonly Stack<SymbolId> _owners = new();

    private DocumentGraphExtractor(SemanticModel model, SymbolNaming naming, string path, SymbolTraits traits,
        bool includeTypeReferences, CancellationToken cancellationToken)
    {
        _model = model;
        _naming = naming;
        _path = path;
        _traits = traits;
        _includeTypeReferences = includeTypeReferences;
        _cancellationToken = cancellationToken;
        _offsets = new Utf8OffsetMap(model.SyntaxTree.GetText(cancellationToken).ToString());
    }

    public static DocumentGraph Extract(SemanticModel model, SymbolNaming naming, string relativePath, SymbolTraits traits,
        bool includeTypeReferences, CancellationToken cancellationToken)
    {
        var extractor = new DocumentGraphExtractor(model, naming, relativePath, traits, includeTypeReferences, cancellationToken);
        var root = model.SyntaxTree.GetRoot(cancellationToken);
        extractor.Visit(root);
        extractor._result.ByteLength = extractor._offsets.ByteLength;
        extractor._result.SyntaxErrorCount = model.SyntaxTree.GetDiagnostics(cancellationToken).Count(d => d.Severity == DiagnosticSeverity.Error);
        return extractor._result;
    }

    private SymbolId? Owner => _owners.Count > 0 ? _owners.Peek() : null;

    // ---- Declarations -------------------------------------------------------------------------------------------

    public override void VisitNamespaceDeclaration(NamespaceDeclarationSyntax node)
    {
        DeclareNamespace(node);
        base.VisitNamespaceDeclaration(node);
    }

    public override void VisitFileScopedNamespaceDeclaration(FileScopedNamespaceDeclarationSyntax node)
    {
        DeclareNamespace(node);
        base.VisitFileScopedNamespaceDeclaration(node);
    }

    public override void VisitClassDeclaration(ClassDeclarationSyntax node) => VisitTypeDeclaration(node);

    public override void VisitStructDeclaration(StructDeclarationSyntax node) => VisitTypeDeclaration(node);

    public override void VisitInterfaceDeclaration(InterfaceDeclarationSyntax node) => VisitTypeDeclaration(node);

    public override void VisitRecordDeclaration(RecordDeclarationSyntax node) => VisitTypeDeclaration(node);

    public override void VisitEnumDeclaration(EnumDeclarationSyntax node)
    {
        var id = Declare(node, _model.GetDeclaredSymbol(node, _cancellationToken));
        WithOwner(id, () => base.VisitEnumDeclaration(node));
    }

    public override void VisitDelegateDeclaration(DelegateDeclarationSyntax node)
    {
        var id = Declare(node, _model.GetDeclaredSymbol(node, _cancellationToken));
        WithOwner(id, () => base.VisitDelegateDeclaration(node));
    }

    public override void VisitMethodDeclaration(MethodDeclarationSyntax node) => VisitMember(node, () => base.VisitMethodDeclaration(node));

    public override void VisitConstructorDeclaration(ConstructorDeclarationSyntax node) => VisitMember(node, () => base.VisitConstructorDeclaration(node));

    public override void VisitDestructorDeclaration(DestructorDeclarationSyntax node) => VisitMember(node, () => base.VisitDestructorDeclaration(node));

    public override void VisitOperatorDeclaration(OperatorDeclarationSyntax node) => VisitMember(node, () => base.VisitOperatorDeclaration(node));

    public override void VisitConversionOperatorDeclaration(ConversionOperatorDeclarationSyntax node) =>
        VisitMember(node, () => base.VisitConversionOperatorDeclaration(node));

    public override void VisitPropertyDeclaration(PropertyDeclarationSyntax node) => VisitMember(node, () => base.VisitPropertyDeclaration(node));

    public override void VisitIndexerDeclaration(IndexerDeclarationSyntax node) => VisitMember(node, () => base.VisitIndexerDeclaration(node));

    public override void VisitEventDeclaration(EventDeclarationSyntax node) => VisitMember(node, () => base.VisitEventDeclaration(node));

    public override void VisitEnumMemberDeclaration(EnumMemberDeclarationSyntax node) => VisitMember(node, () => base.VisitEnumMemberDeclaration(node));

    public override void VisitLocalFunctionStatement(LocalFunctionStatementSyntax node) => VisitMember(node, () => base.VisitLocalFunctionStatement(node));

    public override void VisitFieldDeclaration(FieldDeclarationSyntax node) => VisitFieldLike(node, node.Declaration);

    public override void VisitEventFieldDeclaration(EventFieldDeclarationSyntax node) => VisitFieldLike(node, node.Declaration);

    // Imports are not graph edges for C#: namespaces are too coarse to say anything a using directive does not.
    public override void VisitUsingDirective(UsingDirectiveSyntax node)
    {
    }

    // Base types are recorded as inherits/implements from the symbol; only primary-constructor arguments are code.
    public override void VisitBaseList(BaseListSyntax node)
    {
        foreach (var type in node.Types)
        {
            if (type is PrimaryConstructorBaseTypeSyntax primary)
            {
                VisitPrimaryConstructorBaseType(primary);
            }
        }
    }

    private void VisitTypeDeclaration(TypeDeclarationSyntax node)
    {
        var id = Declare(node, _model.GetDeclaredSymbol(node, _cancellationToken));
        WithOwner(id, () =>
        {
            switch (node)
            {
                case ClassDeclarationSyntax c: base.VisitClassDeclaration(c); break;
                case StructDeclarationSyntax s: base.VisitStructDeclaration(s); break;
                case InterfaceDeclarationSyntax i: base.VisitInterfaceDeclaration(i); break;
                case RecordDeclarationSyntax r: base.VisitRecordDeclaration(r); break;
            }
        });
    }

    private void VisitMember(SyntaxNode node, Action visitChildren)
    {
        var id = Declare(node, _model.GetDeclaredSymbol(node, _cancellationToken));
        WithOwner(id, visitChildren);
    }

    private void VisitFieldLike(BaseFieldDeclarationSyntax node, VariableDeclarationSyntax declaration)
    {
        SymbolId? first = null;
        foreach (var variable in declaration.Variables)
        {
            var id = Declare(variable, _model.GetDeclaredSymbol(variable, _cancellationToken), docSource: node, signatureSource: node);
            first ??= id;
            if (variable.Initializer is { } initializer)
            {
                WithOwner(id, () => Visit(initializer));
            }
        }

        // The declared type and attributes belong to the first declarator: one set of edges is enough.
        WithOwner(first, () =>
        {
            Visit(declaration.Type);
            foreach (var list in node.AttributeLists)
            {
                Visit(list);
            }
        });
    }

    private void WithOwner(SymbolId? owner, Action action)
    {
        if (owner is not { } id)
        {
            action();
            return;
        }

        _owners.Push(id);
        try
        {
            action();
        }
        finally
        {
            _owners.Pop();
        }
    }

    private void DeclareNamespace(BaseNamespaceDeclarationSyntax node)
    {
        if (_model.GetDeclaredSymbol(node, _cancellationToken) is not INamespaceSymbol ns)
        {
            return;
        }

        // `namespace A.B.C` declares A and A.B too; each gets this declaration as one of its locations.
        for (var current = ns; current is { IsGlobalNamespace: false }; current = current.ContainingNamespace)
        {
            Declare(node, current, signatureSource: node);
        }
    }

    private SymbolId? Declare(SyntaxNode node, ISymbol? declared, SyntaxNode? docSource = null, SyntaxNode? signatureSource = null)
    {
        if (declared is null)
        {
            return null;
        }

        _cancellationToken.ThrowIfCancellationRequested();
        var symbol = SymbolNaming.Canonical(declared);
        var id = _naming.IdOf(symbol);
        var span = node.Span;
        var location = new SourceLocation(
            _path,
            _offsets.LineOfChar(span.Start),
            _offsets.LineOfChar(Math.Max(span.Start, span.End - 1)),
            _offsets.ToByteOffset(span.Start),
            _offsets.ToByteOffset(span.End));

        var parent = ParentOf(symbol);
        _result.Symbols.Add(new CodeSymbol
        {
            Id = id,
            Name = DisplayName(symbol),
            QualifiedName = SymbolNaming.QualifiedName(symbol),
            Kind = SymbolNaming.KindOf(symbol),
            Language = LanguageIds.CSharp,
            Location = location,
            Signature = symbol is INamespaceSymbol ? "namespace " + SymbolNaming.QualifiedName(symbol) : SignatureOf(signatureSource ?? node),
            Documentation = symbol is INamespaceSymbol ? null : DocumentationText.SummaryOf(docSource ?? node),
            ParentId = parent,
            Traits = symbol is INamespaceSymbol || (_traits & SymbolTraits.Test) != 0 || !SourceClassifier.IsTestDeclaration(node, _testTypes)
                ? _traits
                : _traits | SymbolTraits.Test,
        });

        if (parent is { } parentId)
        {
            _result.Edges.Add(new CodeEdge(parentId, id, EdgeKind.Contains));
        }

        AddRelations(symbol, id);
        return id;
    }

    private SymbolId? ParentOf(ISymbol symbol)
    {
        var container = symbol.ContainingSymbol;

        // Lambdas have no node: a local function inside one belongs to the enclosing member. Top-level statements live in
        // a compiler-made Main of a compiler-made Program, which are never declared: their local functions have no parent.
        while (container is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LambdaMethod } || container is { IsImplicitlyDeclared: true })
        {
            container = container.ContainingSymbol;
        }

        if (container is IMethodSymbol { Name: WellKnownMemberNames.TopLevelStatementsEntryPointMethodName })
        {
            return null;
        }

        if (container is null or INamespaceSymbol { IsGlobalNamespace: true } or IModuleSymbol or IAssemblySymbol)
        {
            return null;
        }

        return _naming.IdOf(SymbolNaming.Canonical(container));
    }

    private static string DisplayName(ISymbol symbol) => symbol switch
    {
        IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } ctor => ctor.ContainingType.Name,
        IMethodSymbol { MethodKind: MethodKind.Destructor } dtor => "~" + dtor.ContainingType.Name,
        IPropertySymbol { IsIndexer: true } => "this[]",
        _ => symbol.Name,
    };

    private string SignatureOf(SyntaxNode node)
    {
        var start = node.SpanStart;
        if (node is MemberDeclarationSyntax { AttributeLists.Count: > 0 } member)
        {
            start = member.AttributeLists[^1].GetLastToken().GetNextToken().SpanStart;
        }

        var end = node switch
        {
            BaseMethodDeclarationSyntax m => (SyntaxNode?)m.Body ?? m.ExpressionBody,
            LocalFunctionStatementSyntax f => (SyntaxNode?)f.Body ?? f.ExpressionBody,
            PropertyDeclarationSyntax p => (SyntaxNode?)p.AccessorList ?? p.ExpressionBody,
            IndexerDeclarationSyntax i => (SyntaxNode?)i.AccessorList ?? i.ExpressionBody,
            EventDeclarationSyntax e => e.AccessorList,
            BaseFieldDeclarationSyntax f => f.Declaration.Variables.FirstOrDefault()?.Initializer,
            EnumMemberDeclarationSyntax e => e.EqualsValue,
            _ => null,
        } is { } body ? body.SpanStart : node.Span.End;

        if (node is BaseTypeDeclarationSyntax type && !type.OpenBraceToken.IsMissing)
        {
            end = type.OpenBraceToken.SpanStart;
        }
        else if (node is BaseNamespaceDeclarationSyntax ns)
        {
            end = ns.Name.Span.End;
        }

        end = Math.Max(start, end);
        var text = _model.SyntaxTree.GetText(_cancellationToken).ToString(Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(start, end));
        return CollapseWhitespace(text);
    }

    private static string CollapseWhitespace(string text)
    {
        var result = WhitespaceText.Collapse(text, MaxSignatureLength);
        return result.EndsWith(';') || result.EndsWith('=') ? result.TrimEnd(';', '=', ' ') : result;
    }

    // ---- Relations of a declared symbol -------------------------------------------------------------------------

    private void AddRelations(ISymbol symbol, SymbolId id)
    {
        if (!_relationsDone.Add(id))
        {
            return;
        }

        switch (symbol)
        {
            case INamedTypeSymbol type:
                AddTypeRelations(type, id);
                break;
            case IMethodSymbol { OverriddenMethod: { } overridden }:
                AddEdgeTo(id, overridden, EdgeKind.Overrides);
                break;
            case IPropertySymbol { OverriddenProperty: { } overridden }:
                AddEdgeTo(id, overridden, EdgeKind.Overrides);
                break;
            case IEventSymbol { OverriddenEvent: { } overridden }:
                AddEdgeTo(id, overridden, EdgeKind.Overrides);
                break;
        }
    }

    private void AddTypeRelations(INamedTypeSymbol type, SymbolId id)
    {
        if (type.BaseType is { SpecialType: SpecialType.None, TypeKind: not TypeKind.Error } baseType && type.TypeKind == TypeKind.Class)
        {
            AddEdgeTo(id, baseType, EdgeKind.Inherits);
        }

        foreach (var iface in type.Interfaces)
        {
            if (iface.TypeKind != TypeKind.Error)
            {
                AddEdgeTo(id, iface, type.TypeKind == TypeKind.Interface ? EdgeKind.Inherits : EdgeKind.Implements);
            }
        }

        if (type.TypeKind == TypeKind.Interface)
        {
            return;
        }

        // Member → interface member, explicit and implicit, for members this type declares itself.
        foreach (var iface in type.AllInterfaces)
        {
            if (iface.TypeKind == TypeKind.Error)
            {
                continue;
            }

            foreach (var member in iface.GetMembers())
            {
                if (member is not (IMethodSymbol { MethodKind: MethodKind.Ordinary } or IPropertySymbol or IEventSymbol) || member.IsStatic)
                {
                    continue;
                }

                var implementation = type.FindImplementationForInterfaceMember(member);
                if (implementation is not null && SymbolEqualityComparer.Default.Equals(implementation.ContainingType?.OriginalDefinition, type.OriginalDefinition))
                {
                    var implementationId = EnsureSymbol(SymbolNaming.Canonical(implementation));
                    AddEdgeTo(implementationId, member, EdgeKind.Implements);
                }
            }
        }
    }

    // ---- References inside members ------------------------------------------------------------------------------

    public override void VisitInvocationExpression(InvocationExpressionSyntax node)
    {
        if (Owner is not { } owner)
        {
            base.VisitInvocationExpression(node);
            return;
        }

        var target = Resolve(node);
        if (target is null && node.Expression is IdentifierNameSyntax { Identifier.ValueText: "nameof" })
        {
            // nameof(X) names X; it does not call or use it.
            return;
        }

        if (target is IMethodSymbol { MethodKind: not MethodKind.DelegateInvoke } method)
        {
            AddEdgeTo(owner, method, EdgeKind.Calls);
        }

        // Visit the receiver and the arguments, but not the invoked name: it would resolve to the same method again.
        switch (node.Expression)
        {
            case MemberAccessExpressionSyntax access:
                Visit(access.Expression);
                if (access.Name is GenericNameSyntax genericName)
                {
                    Visit(genericName.TypeArgumentList);
                }

                break;
            case GenericNameSyntax generic:
                Visit(generic.TypeArgumentList);
                break;
            case IdentifierNameSyntax:
                break;
            default:
                Visit(node.Expression);
                break;
        }

        Visit(node.ArgumentList);
    }

    public override void VisitObjectCreationExpression(ObjectCreationExpressionSyntax node)
    {
        AddCall(node);
        base.VisitObjectCreationExpression(node);
    }

    public override void VisitImplicitObjectCreationExpression(ImplicitObjectCreationExpressionSyntax node)
    {
        AddCall(node);
        base.VisitImplicitObjectCreationExpression(node);
    }

    public override void VisitConstructorInitializer(ConstructorInitializerSyntax node)
    {
        AddCall(node);
        base.VisitConstructorInitializer(node);
    }

    public override void VisitPrimaryConstructorBaseType(PrimaryConstructorBaseTypeSyntax node)
    {
        AddCall(node);
        Visit(node.ArgumentList);
    }

    public override void VisitElementAccessExpression(ElementAccessExpressionSyntax node)
    {
        if (Owner is { } owner && Resolve(node) is IPropertySymbol { IsIndexer: true } indexer && IsInSource(indexer))
        {
            AddEdgeTo(owner, indexer, EdgeKind.Calls);
        }

        base.VisitElementAccessExpression(node);
    }

    public override void VisitAttribute(AttributeSyntax node)
    {
        if (Owner is { } owner && Resolve(node) is IMethodSymbol { ContainingType: { } attributeType } && IsInSource(attributeType) && _includeTypeReferences)
        {
            AddEdgeTo(owner, attributeType, EdgeKind.References);
        }

        if (node.ArgumentList is { } arguments)
        {
            Visit(arguments);
        }
    }

    public override void VisitIdentifierName(IdentifierNameSyntax node)
    {
        if (Owner is { } owner && !node.IsVar)
        {
            AddNameReference(owner, node);
        }
    }

    public override void VisitGenericName(GenericNameSyntax node)
    {
        if (Owner is { } owner)
        {
            AddNameReference(owner, node);
        }

        Visit(node.TypeArgumentList);
    }

    private void AddNameReference(SymbolId owner, SimpleNameSyntax node)
    {
        switch (Resolve(node))
        {
            // A method group passed as a delegate: the method will be called.
            case IMethodSymbol { MethodKind: MethodKind.Ordinary or MethodKind.LocalFunction } method:
                AddEdgeTo(owner, method, EdgeKind.Calls);
                break;
            // A property read or write calls its accessor; only our own properties are worth an edge.
            case IPropertySymbol property when IsInSource(property):
                AddEdgeTo(owner, property, EdgeKind.Calls);
                break;
            case INamedTypeSymbol type when _includeTypeReferences && IsInSource(type):
                AddEdgeTo(owner, type, EdgeKind.References);
                break;
        }
    }

    private void AddCall(SyntaxNode node)
    {
        if (Owner is { } owner && Resolve(node) is IMethodSymbol constructor)
        {
            AddEdgeTo(owner, constructor, EdgeKind.Calls);
        }
    }

    private ISymbol? Resolve(SyntaxNode node)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        var info = _model.GetSymbolInfo(node, _cancellationToken);
        // Overload resolution that fails with exactly one candidate still names the intended target.
        return info.Symbol ?? (info.CandidateSymbols.Length == 1 ? info.CandidateSymbols[0] : null);
    }

    private static bool IsInSource(ISymbol symbol) => symbol.Locations.Any(static l => l.IsInSource);

    private void AddEdgeTo(SymbolId from, ISymbol target, EdgeKind kind)
    {
        var to = EnsureSymbol(SymbolNaming.Canonical(target));
        _result.Edges.Add(new CodeEdge(from, to, kind));
    }

    /// <summary>
    /// Adds a placeholder for an edge target. A declaration of the same symbol (in this or another document) replaces
    /// it when the graph is built; one that stays a placeholder is outside the indexed sources.
    /// </summary>
    private SymbolId EnsureSymbol(ISymbol symbol)
    {
        var id = _naming.IdOf(symbol);
        if (_placeholders.Add(id))
        {
            _result.Symbols.Add(new CodeSymbol
            {
                Id = id,
                Name = DisplayName(symbol),
                QualifiedName = SymbolNaming.QualifiedName(symbol),
                Kind = SymbolNaming.KindOf(symbol),
                Language = LanguageIds.CSharp,
                Signature = SymbolNaming.ParameterList(symbol) is { } parameters ? DisplayName(symbol) + parameters : null,
                Traits = SymbolTraits.External,
            });
        }

        return id;
    }
}
