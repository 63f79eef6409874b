using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace StructuralChunking.Roslyn.Internal;

/// <summary>
/// A hash of everything in a compilation that another document's binding can depend on: every declaration and using
/// directive (bodies and comments left out) of its own trees and of the projects it references, plus its metadata
/// references. Two compilations with the same fingerprint bind an unchanged document identically, which is what lets
/// <see cref="CSharpGraphCache"/> reuse that document's symbols and edges.
/// </summary>
internal static class DeclarationFingerprint
{
    private static readonly ConditionalWeakTable<SyntaxTree, string> TreeHashes = new();

    public static string Of(Compilation compilation, CancellationToken cancellationToken)
    {
        var parts = new List<string>();
        Collect(compilation, parts, new HashSet<Compilation>(), cancellationToken);
        parts.Sort(StringComparer.Ordinal);
        return Hash(string.Join('\n', parts));
    }

    private static void Collect(Compilation compilation, List<string> parts, HashSet<Compilation> seen, CancellationToken cancellationToken)
    {
        if (!seen.Add(compilation))
        {
            return;
        }

        foreach (var tree in compilation.SyntaxTrees)
        {
            cancellationToken.ThrowIfCancellationRequested();
            parts.Add(TreeHashes.GetValue(tree, static t => Hash(Skeleton(t))));
        }

        foreach (var reference in compilation.References)
        {
            switch (reference)
            {
                case CompilationReference project:
                    Collect(project.Compilation, parts, seen, cancellationToken);
                    break;
                case PortableExecutableReference file:
                    parts.Add("ref:" + (file.FilePath ?? file.Display));
                    break;
                default:
                    parts.Add("ref:" + reference.Display);
                    break;
            }
        }
    }

    // The tree's tokens without trivia, with the inside of every body and initializer-free expression body left out.
    private static string Skeleton(SyntaxTree tree)
    {
        var text = new StringBuilder();
        foreach (var token in tree.GetRoot().DescendantTokens(node => !IsBody(node)))
        {
            if (token.Parent is { } parent && IsBody(parent))
            {
                continue;
            }

            text.Append(token.Text).Append(' ');
        }

        return text.ToString();
    }

    private static bool IsBody(SyntaxNode node) => node switch
    {
        BlockSyntax { Parent: BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax } => true,
        ArrowExpressionClauseSyntax => true,
        _ => false,
    };

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
