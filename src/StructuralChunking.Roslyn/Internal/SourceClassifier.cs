using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StructuralChunking.Discovery;
using StructuralChunking.Graph;

namespace StructuralChunking.Roslyn.Internal;

/// <summary>Tags documents as generated or test code, which later stages weight down or filter out.</summary>
internal static partial class SourceClassifier
{
    private static readonly string[] TestFrameworkAssemblies = ["xunit", "nunit", "Microsoft.VisualStudio.TestPlatform", "MSTest", "TUnit"];

    /// <summary>A code generator's marker (<c>&lt;auto-generated&gt;</c> and the like) in the comments before the first token.</summary>
    public static bool HasGeneratedHeader(SyntaxTree tree, CancellationToken cancellationToken) =>
        GeneratedCode.HasGeneratorMarker(tree.GetRoot(cancellationToken).GetLeadingTrivia().ToFullString());

    public static bool IsTestProject(Project project)
    {
        if (IsTestName(project.Name))
        {
            return true;
        }

        foreach (var reference in project.MetadataReferences)
        {
            var display = reference.Display ?? string.Empty;
            var fileName = Path.GetFileNameWithoutExtension(display);
            foreach (var framework in TestFrameworkAssemblies)
            {
                if (fileName.StartsWith(framework, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>A project read as data: a test name, or a package reference to a test framework.</summary>
    public static bool IsTestProject(string name, IEnumerable<string> packageReferences) =>
        IsTestName(name) || packageReferences.Any(p => TestFrameworkAssemblies.Any(f => p.StartsWith(f, StringComparison.OrdinalIgnoreCase)));

    /// <summary>For loose folders: a file under a <c>test</c>/<c>tests</c> folder or named <c>*Tests.cs</c>.</summary>
    public static bool IsTestPath(string relativePath)
    {
        var normalized = relativePath.Replace('\\', '/');
        foreach (var segment in normalized.Split('/'))
        {
            if (IsTestName(segment.EndsWith(".cs", StringComparison.OrdinalIgnoreCase) ? segment[..^3] : segment))
            {
                return true;
            }
        }

        return false;
    }

    public static SymbolTraits Classify(string relativePath, SyntaxTree tree, bool isTestProject, CancellationToken cancellationToken)
    {
        var traits = SymbolTraits.None;
        if (GeneratedCode.IsGeneratedPath(relativePath) || HasGeneratedHeader(tree, cancellationToken))
        {
            traits |= SymbolTraits.Generated;
        }

        if (isTestProject)
        {
            traits |= SymbolTraits.Test;
        }

        return traits;
    }

    // xUnit, NUnit and MSTest attributes that make a method a test or a class a test fixture (simple names).
    private static readonly HashSet<string> TestAttributeNames = new(StringComparer.Ordinal)
    {
        "Test", "Fact", "Theory", "TestMethod", "DataTestMethod", "TestCase", "TestCaseSource", "TestFixture", "TestClass",
    };

    /// <summary>
    /// A declaration inside test code by its framework attributes: a member or type marked <c>[Test]</c>, <c>[Fact]</c>,
    /// <c>[Theory]</c>, <c>[TestMethod]</c>, <c>[TestCase]</c>, <c>[TestFixture]</c>, <c>[TestClass]</c>, or anything in
    /// a type that holds such a method. <paramref name="typeCache"/> remembers the answer per type declaration.
    /// </summary>
    public static bool IsTestDeclaration(SyntaxNode node, Dictionary<SyntaxNode, bool> typeCache)
    {
        foreach (var ancestor in node.AncestorsAndSelf())
        {
            if (ancestor is TypeDeclarationSyntax type)
            {
                if (!typeCache.TryGetValue(type, out var isTest))
                {
                    isTest = HasTestAttribute(type) || type.Members.Any(static m => m is MethodDeclarationSyntax && HasTestAttribute(m));
                    typeCache.Add(type, isTest);
                }

                if (isTest)
                {
                    return true;
                }
            }
            else if (ancestor is MemberDeclarationSyntax member && HasTestAttribute(member))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasTestAttribute(MemberDeclarationSyntax member)
    {
        foreach (var list in member.AttributeLists)
        {
            foreach (var attribute in list.Attributes)
            {
                var name = attribute.Name switch
                {
                    QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
                    AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
                    SimpleNameSyntax simple => simple.Identifier.ValueText,
                    _ => string.Empty,
                };
                if (name.EndsWith("Attribute", StringComparison.Ordinal))
                {
                    name = name[..^"Attribute".Length];
                }

                if (TestAttributeNames.Contains(name))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsTestName(string name) => SeparatedTestName().IsMatch(name) || PascalTestName().IsMatch(name);

    // "test", "Tests", "Foo.Tests", "Foo.IntegrationTests", "foo_specs", "foo-test".
    [GeneratedRegex(@"(^|[.\-_])(unit|integration|functional|acceptance)?(tests?|specs?)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SeparatedTestName();

    // "OrderServiceTests", "UnitTest" — case-sensitive so that "Contest" or "Latest" do not count.
    [GeneratedRegex(@"[a-z0-9]Tests?$", RegexOptions.CultureInvariant)]
    private static partial Regex PascalTestName();
}
