using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using StructuralChunking.Chunking;
using StructuralChunking.Graph;
using StructuralChunking.FrontEnds;

namespace StructuralChunking.Cli.Commands;

/// <summary><c>structchunk chunks PATH</c>: show exactly what would be embedded.</summary>
internal static class ChunksCommand
{
    public static Command Create(CliContext context)
    {
        var path = new Argument<string>("path") { Description = "A .sln, .slnx or .csproj file, or a folder." };
        var json = new Option<bool>("--json") { Description = "One JSON object per line: id, symbol, path, startLine, endLine, tokens, embeddingText, lexicalText." };
        var chunkerOptions = new ChunkerCliOptions();
        var trustBuild = TrustBuildOption.Create();
        var command = new Command("chunks", "Cut a code base into chunks and print them (what gets embedded, what BM25 sees, where each chunk is).")
        {
            path, json, trustBuild,
        };
        chunkerOptions.AddTo(command);

        command.SetAction(context.Guard(async (parseResult, cancellationToken) =>
        {
            var codeBase = await FrontEndSet.LoadAsync(parseResult.GetValue(path)!, 2 * 1024 * 1024, cancellationToken, parseResult.GetValue(trustBuild)).ConfigureAwait(false);
            var chunker = chunkerOptions.CreateChunker(parseResult);
            var chunks = chunker.Chunk(codeBase.Graph, SourceTexts.FromDirectory(codeBase.Root), codeBase.Files, cancellationToken);
            var output = context.Output;
            if (parseResult.GetValue(json))
            {
                foreach (var chunk in chunks)
                {
                    await output.WriteLineAsync(ToJson(chunk)).ConfigureAwait(false);
                }
            }
            else
            {
                foreach (var chunk in chunks)
                {
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"── {chunk.Path}:{chunk.StartLine}-{chunk.EndLine}  {chunk.SymbolName ?? "(file)"}  [{chunk.TokenCount} tokens, id {chunk.Id}]")).ConfigureAwait(false);
                    await output.WriteLineAsync(chunk.EmbeddingText).ConfigureAwait(false);
                    await output.WriteLineAsync().ConfigureAwait(false);
                }

                await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{chunks.Count} chunks from {codeBase.Files.Length} files ({chunker.Name} chunker)")).ConfigureAwait(false);
            }

            return CliContext.Success;
        }));

        return command;
    }

    private static string ToJson(CodeChunk chunk)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", chunk.Id);
            writer.WriteString("symbol", chunk.SymbolName);
            writer.WriteString("kind", chunk.SymbolKind.ToWireName());
            writer.WriteString("path", chunk.Path);
            writer.WriteNumber("startLine", chunk.StartLine);
            writer.WriteNumber("endLine", chunk.EndLine);
            writer.WriteNumber("part", chunk.PartIndex + 1);
            writer.WriteNumber("parts", chunk.PartCount);
            writer.WriteNumber("tokens", chunk.TokenCount);
            writer.WriteString("contentHash", chunk.ContentHash);
            writer.WriteString("embeddingText", chunk.EmbeddingText);
            writer.WriteString("lexicalText", chunk.LexicalText);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}

/// <summary>The chunker options shared by <c>chunks</c>, <c>index</c> and <c>eval</c>.</summary>
internal sealed class ChunkerCliOptions
{
    private readonly Option<string> _chunker = new("--chunker")
    {
        Description = "structural (graph-contextualized definitions) or lines (fixed 30-line windows, the naive baseline).",
        DefaultValueFactory = _ => "structural",
    };

    private readonly Option<bool> _noGraphContext = new("--no-graph-context") { Description = "Leave callers, callees and implemented members out of chunk headers." };
    private readonly Option<bool> _noInheritedDoc = new("--no-inherited-doc")
    {
        Description = "Do not give undocumented definitions the doc sentences of what they implement, the API that forwards to them or the settings they read.",
    };

    private readonly Option<bool> _embedGenerated = new("--embed-generated")
    {
        Description = "Embed the bodies of generated code (designer files, resource accessors, files marked as generated) too; by default they are embedded by their header and found by their words lexically.",
    };

    private readonly Option<bool> _noSplit = new("--no-split") { Description = "Do not split identifiers into words (header words, neighbour names, lexical text)." };
    private readonly Option<int> _budget = new("--budget") { Description = "Token budget of each chunk's embedding text.", DefaultValueFactory = _ => 256 };

    public ChunkerCliOptions() => _chunker.AcceptOnlyFromAmong("structural", "lines");

    public void AddTo(Command command)
    {
        command.Options.Add(_chunker);
        command.Options.Add(_noGraphContext);
        command.Options.Add(_noInheritedDoc);
        command.Options.Add(_noSplit);
        command.Options.Add(_embedGenerated);
        command.Options.Add(_budget);
    }

    public ICodeChunker CreateChunker(ParseResult parseResult, ITokenCounter? counter = null, bool hideDocumentation = false)
    {
        var budget = parseResult.GetValue(_budget);
        if (budget < 32)
        {
            throw new CliUserException($"--budget must be at least 32 tokens (was {budget}).");
        }

        var split = !parseResult.GetValue(_noSplit);
        return parseResult.GetValue(_chunker) == "lines"
            ? new LineWindowChunker(tokenBudget: budget, splitIdentifiers: split, tokenCounter: counter)
            : new StructuralChunker(new ChunkingOptions
            {
                TokenBudget = budget,
                SplitIdentifiers = split,
                IncludeGraphContext = !parseResult.GetValue(_noGraphContext),
                InheritDocumentation = !parseResult.GetValue(_noInheritedDoc),
                EmbedGeneratedCode = parseResult.GetValue(_embedGenerated),
                HideDocumentation = hideDocumentation,
            }, counter);
    }
}
