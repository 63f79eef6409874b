using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using StructuralChunking.Discovery;
using StructuralChunking.Graph;
using SymbolKind = StructuralChunking.Graph.SymbolKind;

namespace StructuralChunking.Roslyn.Internal;

/// <summary>
/// Maps Roslyn symbols to graph identities. Every reference to a symbol, from any project, goes through
/// <see cref="Canonical"/> and <see cref="IdOf"/>, so cross-project edges meet the defining project's symbol.
/// </summary>
internal sealed class SymbolNaming
{
    private static readonly SymbolDisplayFormat QualifiedFormat = new(
        globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        memberOptions: SymbolDisplayMemberOptions.IncludeContainingType | SymbolDisplayMemberOptions.IncludeExplicitInterface,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

    private static readonly SymbolDisplayFormat ParameterListFormat = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        memberOptions: SymbolDisplayMemberOptions.IncludeParameters,
        parameterOptions: SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeParamsRefOut,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    private readonly ConcurrentDictionary<ISymbol, SymbolId> _ids = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// The symbol a graph node stands for: generic instantiations map to their definition, reduced extension calls
    /// to the static method, accessors to their property or event, partial implementations to their declaration.
    /// </summary>
    public static ISymbol Canonical(ISymbol symbol)
    {
        if (symbol is IMethodSymbol method)
        {
            method = method.ReducedFrom ?? method;
            method = method.OriginalDefinition;
            if (method.PartialDefinitionPart is { } definition)
            {
                method = definition;
            }

            if (method.MethodKind is MethodKind.PropertyGet or MethodKind.PropertySet or MethodKind.EventAdd
                or MethodKind.EventRemove or MethodKind.EventRaise && method.AssociatedSymbol is { } associated)
            {
                return Canonical(associated);
            }

            return method;
        }

        if (symbol is IPropertySymbol { PartialDefinitionPart: { } propertyDefinition })
        {
            return propertyDefinition.OriginalDefinition;
        }

        return symbol.OriginalDefinition;
    }

    public static string QualifiedName(ISymbol symbol)
    {
        if (symbol is IMethodSymbol { MethodKind: MethodKind.LocalFunction } local)
        {
            return QualifiedName(Canonical(local.ContainingSymbol)) + "." + local.Name;
        }

        return symbol.ToDisplayString(QualifiedFormat);
    }

    public SymbolId IdOf(ISymbol symbol) => _ids.GetOrAdd(symbol, static s =>
    {
        // Error recovery leaves declarations without a name (`namespace {`); they still need an id that does not throw.
        var qualifiedName = QualifiedName(s) is { Length: > 0 } name ? name : "<missing>";
        return SymbolId.Create(LanguageIds.CSharp, qualifiedName, Discriminator(s));
    });

    public static SymbolKind KindOf(ISymbol symbol) => symbol switch
    {
        INamespaceSymbol => SymbolKind.Namespace,
        INamedTypeSymbol { IsRecord: true } => SymbolKind.Record,
        INamedTypeSymbol type => type.TypeKind switch
        {
            TypeKind.Class => SymbolKind.Class,
            TypeKind.Struct => SymbolKind.Struct,
            TypeKind.Interface => SymbolKind.Interface,
            TypeKind.Enum => SymbolKind.Enum,
            TypeKind.Delegate => SymbolKind.Delegate,
            _ => SymbolKind.Type,
        },
        IMethodSymbol method => method.MethodKind switch
        {
            MethodKind.Constructor or MethodKind.StaticConstructor => SymbolKind.Constructor,
            MethodKind.Destructor => SymbolKind.Destructor,
            MethodKind.UserDefinedOperator or MethodKind.Conversion => SymbolKind.Operator,
            MethodKind.LocalFunction => SymbolKind.LocalFunction,
            _ => SymbolKind.Method,
        },
        IPropertySymbol { IsIndexer: true } => SymbolKind.Indexer,
        IPropertySymbol => SymbolKind.Property,
        IEventSymbol => SymbolKind.Event,
        IFieldSymbol { ContainingType.TypeKind: TypeKind.Enum } => SymbolKind.EnumMember,
        IFieldSymbol => SymbolKind.Field,
        _ => SymbolKind.Unknown,
    };

    /// <summary>A short parameter list that tells overloads apart, for display in signatures of external symbols.</summary>
    public static string? ParameterList(ISymbol symbol) => symbol switch
    {
        IMethodSymbol method => "(" + string.Join(", ", method.Parameters.Select(p => p.Type.ToDisplayString(ParameterListFormat))) + ")",
        IPropertySymbol { IsIndexer: true } indexer => "[" + string.Join(", ", indexer.Parameters.Select(p => p.Type.ToDisplayString(ParameterListFormat))) + "]",
        _ => null,
    };

    /// <summary>
    /// What tells overloads apart in the id: the documentation comment id where Roslyn has one (it encodes parameter
    /// types and arity), and the parameter list for local functions, which have none.
    /// </summary>
    private static string? Discriminator(ISymbol symbol) =>
        symbol.GetDocumentationCommentId() ?? ParameterList(symbol);
}
