using System.Globalization;
using System.Text;
using System.Text.Json;
using StructuralChunking.Graph;

namespace StructuralChunking.Cli.Output;

/// <summary>Serialises a <see cref="CodeGraph"/> as the CLI's JSON contract and as Graphviz.</summary>
internal static class GraphWriters
{
    /// <summary>
    /// <c>{"symbols":[{"id","name","qualifiedName","kind","language","path","startLine","endLine",…}],"edges":[{"from","to","kind"}]}</c>.
    /// External symbols (targets outside the sources) have a null path and lines 0.
    /// </summary>
    public static void WriteJson(CodeGraph graph, Stream stream, bool indented = false)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented });
        json.WriteStartObject();
        json.WriteStartArray("symbols");
        foreach (var symbol in graph.Symbols)
        {
            json.WriteStartObject();
            json.WriteString("id", symbol.Id.Value);
            json.WriteString("name", symbol.Name);
            json.WriteString("qualifiedName", symbol.QualifiedName);
            json.WriteString("kind", symbol.Kind.ToWireName());
            json.WriteString("language", symbol.Language);
            if (symbol.Path is { } path)
            {
                json.WriteString("path", path);
            }
            else
            {
                json.WriteNull("path");
            }

            json.WriteNumber("startLine", symbol.StartLine);
            json.WriteNumber("endLine", symbol.EndLine);
            if (symbol.ParentId is { } parent)
            {
                json.WriteString("parent", parent.Value);
            }

            if (symbol.Traits != SymbolTraits.None)
            {
                json.WriteStartArray("traits");
                foreach (var trait in Enum.GetValues<SymbolTraits>())
                {
                    if (trait != SymbolTraits.None && symbol.Traits.HasFlag(trait))
                    {
                        json.WriteStringValue(trait.ToString().ToLowerInvariant());
                    }
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("edges");
        foreach (var edge in graph.Edges)
        {
            json.WriteStartObject();
            json.WriteString("from", edge.From.Value);
            json.WriteString("to", edge.To.Value);
            json.WriteString("kind", edge.Kind.ToWireName());
            if (edge.Weight < 1f)
            {
                json.WriteNumber("weight", edge.Weight);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Graphviz digraph of the located symbols and the edges between them (external symbols are left out).</summary>
    public static void WriteDot(CodeGraph graph, TextWriter writer)
    {
        writer.WriteLine("digraph code {");
        writer.WriteLine("  rankdir=LR; node [shape=box, fontname=\"Helvetica\", fontsize=10]; edge [fontsize=8];");
        foreach (var symbol in graph.Symbols)
        {
            if (!symbol.IsExternal)
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  \"{symbol.Id}\" [label=\"{Escape(symbol.QualifiedName)}\\n{symbol.Kind.ToWireName()}\"];"));
            }
        }

        foreach (var edge in graph.Edges)
        {
            if (!graph[edge.From].IsExternal && !graph[edge.To].IsExternal)
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  \"{edge.From}\" -> \"{edge.To}\" [label=\"{edge.Kind.ToWireName()}\"{(edge.Kind == EdgeKind.Contains ? ", style=dotted" : string.Empty)}];"));
            }
        }

        writer.WriteLine("}");
    }

    private static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
