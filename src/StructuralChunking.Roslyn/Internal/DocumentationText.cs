using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace StructuralChunking.Roslyn.Internal;

/// <summary>
/// Reads the <c>&lt;summary&gt;</c> of an XML doc comment straight from syntax trivia. Going through
/// <c>ISymbol.GetDocumentationCommentXml</c> would depend on the project's DocumentationMode, which is off in most
/// projects that do not generate a documentation file.
/// </summary>
internal static class DocumentationText
{
    public static string? SummaryOf(SyntaxNode declaration)
    {
        foreach (var trivia in declaration.GetLeadingTrivia())
        {
            if (!trivia.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) && !trivia.IsKind(SyntaxKind.MultiLineDocumentationCommentTrivia))
            {
                continue;
            }

            if (trivia.GetStructure() is not DocumentationCommentTriviaSyntax doc)
            {
                continue;
            }

            var summary = doc.Content.OfType<XmlElementSyntax>()
                .FirstOrDefault(e => e.StartTag.Name.LocalName.ValueText == "summary");
            var text = new StringBuilder();
            if (summary is not null)
            {
                AppendContent(summary.Content, text);
            }
            else
            {
                // No <summary>: take the whole comment (some code bases write plain prose after ///).
                AppendContent(doc.Content, text);
            }

            var result = Normalize(text);
            return result.Length == 0 ? null : result;
        }

        return null;
    }

    private static void AppendContent(SyntaxList<XmlNodeSyntax> content, StringBuilder text)
    {
        foreach (var node in content)
        {
            switch (node)
            {
                case XmlTextSyntax xmlText:
                    foreach (var token in xmlText.TextTokens)
                    {
                        text.Append(token.IsKind(SyntaxKind.XmlTextLiteralNewLineToken) ? " " : token.ValueText);
                    }

                    break;
                case XmlEmptyElementSyntax empty:
                    // <see cref="X"/>, <paramref name="x"/>: the referenced name is the meaningful word.
                    foreach (var attribute in empty.Attributes)
                    {
                        switch (attribute)
                        {
                            case XmlCrefAttributeSyntax cref:
                                text.Append(cref.Cref.ToString());
                                break;
                            case XmlNameAttributeSyntax name:
                                text.Append(name.Identifier.Identifier.ValueText);
                                break;
                            case XmlTextAttributeSyntax textAttribute when textAttribute.Name.LocalName.ValueText == "langword":
                                text.Append(string.Concat(textAttribute.TextTokens.Select(t => t.ValueText)));
                                break;
                        }
                    }

                    break;
                case XmlElementSyntax element:
                    AppendContent(element.Content, text);
                    break;
                case XmlCDataSectionSyntax cdata:
                    text.Append(string.Concat(cdata.TextTokens.Select(t => t.ValueText)));
                    break;
            }
        }
    }

    private static string Normalize(StringBuilder text) => WhitespaceText.Collapse(text.ToString());
}
