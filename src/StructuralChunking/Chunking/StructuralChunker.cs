using System.Globalization;
using System.Text;
using StructuralChunking.Graph;

namespace StructuralChunking.Chunking;

/// <summary>
/// Cuts code into graph-contextualized chunks: one per definition that matters, each with a header that says where it
/// lives, what it is, what it implements, what it calls and what calls it.
/// </summary>
/// <remarks>
/// <para><b>Units.</b> A type small enough to fit the budget whole is one chunk. A larger type gets a skeleton chunk
/// (its declaration, doc and the signatures of its members, bodies collapsed) located on its declaration lines, and
/// its members get chunks of their own: methods, functions, constructors, operators and properties with bodies one
/// each; runs of adjacent tiny members (fields, one-line properties, enum members; short undocumented methods too with
/// <see cref="ChunkingOptions.TinyMethodMaxLines"/>) one per run. Local functions and
/// lambdas stay inside their method's chunk. Code outside every definition (module-level statements) becomes
/// file-level chunks when it holds more than imports and punctuation.</para>
/// <para><b>Budget.</b> A definition too large for the token budget is split at statement boundaries
/// (<see cref="BodySplitter"/>); each part repeats the header with the signature and says "part i of n". Nothing is
/// dropped: every symbol of the graph is covered by a chunk of its own or by the chunk that contains it.</para>
/// <para><b>Identity.</b> A chunk's id is its symbol id and part (<c>3f0c…#0</c>; <c>3f0c…@1#0</c> for a partial type's
/// second declaration; <c>3f0c…+members#0</c> for a run of tiny members; <c>file:path#0</c> for file-level code), and its
/// <see cref="CodeChunk.ContentHash"/> is the hash of the embedding text, so unchanged chunks are never re-embedded.</para>
/// </remarks>
public sealed class StructuralChunker : ICodeChunker
{
    private readonly ITokenCounter _counter;

    /// <summary>Creates a chunker.</summary>
    /// <param name="options">Options; <c>null</c> for the defaults.</param>
    /// <param name="tokenCounter">The embedding model's token counter; <c>null</c> for <see cref="ApproximateTokenCounter"/>.</param>
    public StructuralChunker(ChunkingOptions? options = null, ITokenCounter? tokenCounter = null)
    {
        Options = options ?? new ChunkingOptions();
        Options.Validate();
        _counter = tokenCounter ?? ApproximateTokenCounter.Instance;
    }

    /// <summary>The options in use.</summary>
    public ChunkingOptions Options { get; }

    /// <summary>The token counter in use.</summary>
    internal ITokenCounter TokenCounter => _counter;

    // Bump when the chunks of the same sources under the same options change (another header line, other borrowed
    // sentences), so that re-indexing with a newer version does not take an older index as up to date.
    private const int TextVersion = 5;

    /// <inheritdoc />
    public string Name => "structural";

    /// <inheritdoc />
    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"structural v{TextVersion} budget={Options.TokenBudget} header={Options.MaxHeaderShare} path={Options.IncludePath} scope={Options.IncludeScope} signature={Options.IncludeSignature} doc={Options.IncludeDocumentation && !Options.HideDocumentation} inherit-doc={Options.InheritDocumentation && Options.IncludeDocumentation && !Options.HideDocumentation} split={Options.SplitIdentifiers} graph={Options.IncludeGraphContext} callees={Options.MaxCallees} callers={Options.MaxCallers} tiny={Options.TinyMemberMaxLines}{(Options.TinyMethodMaxLines > 0 ? " tiny-methods=" + Options.TinyMethodMaxLines.ToString(CultureInfo.InvariantCulture) : string.Empty)}{(Options.EmbedGeneratedCode ? " generated=embedded" : string.Empty)}");

    /// <inheritdoc />
    public IReadOnlyList<CodeChunk> Chunk(CodeGraph graph, SourceTexts sources, IReadOnlyList<ChunkSourceFile> files, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(files);

        var locationsByPath = IndexLocations(graph);
        var header = new ChunkHeaderBuilder(graph, Options, _counter, new NeighbourRanker(graph));
        var chunks = new List<CodeChunk>();
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (sources.Get(file.Path) is not { } document)
            {
                continue;
            }

            var entries = locationsByPath.GetValueOrDefault(file.Path) ?? [];
            new FileChunker(this, header, document, file.Language, chunks).Run(entries);
        }

        return chunks;
    }

    private static Dictionary<string, List<Entry>> IndexLocations(CodeGraph graph)
    {
        var byPath = new Dictionary<string, List<Entry>>(StringComparer.Ordinal);
        foreach (var symbol in graph.Symbols)
        {
            var index = 0;
            foreach (var location in symbol.AllLocations)
            {
                if (!byPath.TryGetValue(location.Path, out var list))
                {
                    list = [];
                    byPath.Add(location.Path, list);
                }

                list.Add(new Entry(symbol, location, index++));
            }
        }

        foreach (var list in byPath.Values)
        {
            list.Sort(static (a, b) =>
            {
                var byStart = a.Location.StartByte.CompareTo(b.Location.StartByte);
                if (byStart != 0)
                {
                    return byStart;
                }

                var byEnd = b.Location.EndByte.CompareTo(a.Location.EndByte);
                return byEnd != 0 ? byEnd : CodeGraphBuilder.CompareSymbols(a.Symbol, b.Symbol);
            });
        }

        return byPath;
    }

    private sealed record Entry(CodeSymbol Symbol, SourceLocation Location, int LocationIndex);

    private sealed class Node(Entry entry)
    {
        public Entry Entry { get; } = entry;
        public List<Node> Children { get; } = [];
        public CodeSymbol Symbol => Entry.Symbol;
        public SourceLocation Location => Entry.Location;
    }

    /// <summary>Chunks one file; holds the per-file state.</summary>
    private sealed class FileChunker(StructuralChunker owner, ChunkHeaderBuilder header, SourceDocument document, string language, List<CodeChunk> output)
    {
        private readonly ChunkingOptions _options = owner.Options;
        private readonly ITokenCounter _counter = owner._counter;
        private SymbolTraits _fileTraits;

        public void Run(List<Entry> entries)
        {
            // File-level code has no symbol of its own: it is test code when its file is (by convention or by its symbols).
            _fileTraits = (Discovery.TestCodePaths.IsTest(document.Path) || entries.Exists(e => (e.Symbol.Traits & SymbolTraits.Test) != 0)
                    ? SymbolTraits.Test
                    : SymbolTraits.None)
                | (Discovery.GeneratedCode.IsGeneratedPath(document.Path) || entries.Exists(e => (e.Symbol.Traits & SymbolTraits.Generated) != 0)
                    ? SymbolTraits.Generated
                    : SymbolTraits.None);
            var roots = BuildTree(entries);
            ProcessNodes(roots);
            ChunkFileLevelCode(entries);
        }

        private static List<Node> BuildTree(List<Entry> entries)
        {
            var roots = new List<Node>();
            var stack = new Stack<Node>();
            foreach (var entry in entries)
            {
                var node = new Node(entry);
                while (stack.Count > 0 && !Contains(stack.Peek().Location, entry.Location))
                {
                    stack.Pop();
                }

                (stack.Count > 0 ? stack.Peek().Children : roots).Add(node);
                stack.Push(node);
            }

            return roots;
        }

        private static bool Contains(SourceLocation outer, SourceLocation inner) =>
            outer.StartByte <= inner.StartByte && inner.EndByte <= outer.EndByte;

        private void ProcessNodes(List<Node> nodes)
        {
            var run = new List<Node>();
            foreach (var node in nodes)
            {
                var kind = node.Symbol.Kind;
                if (kind is SymbolKind.Namespace or SymbolKind.Module or SymbolKind.File)
                {
                    FlushRun(run);
                    ProcessNodes(node.Children);
                    continue;
                }

                if (IsTiny(node) || IsTinyBody(node))
                {
                    // A run with bodies in it ends before it outgrows one chunk (each run is a result of its own, with a
                    // span no larger than one chunk's code) or its scope line could name all its members.
                    if (run.Count > 0 && (IsTinyBody(node) || run.Exists(IsTinyBody))
                        && (RunCodeTokens(run[0].Location.StartLine, node.Location.EndLine) > MergedRunCodeBudget
                            || !header.ScopeFits(run[0].Symbol, RunLabel([.. run, node]))))
                    {
                        FlushRun(run);
                    }

                    run.Add(node);
                    continue;
                }

                FlushRun(run);
                if (kind.IsType() || (kind == SymbolKind.Variable && node.Children.Count > 0))
                {
                    // A value with members (`const api = {get() {…}}`, `module.exports = {…}`) is chunked like a type.
                    ProcessType(node);
                }
                else
                {
                    EmitSymbol(node, node.Location.StartLine, node.Location.EndLine, withSignatureOnFirstPart: false);
                }
            }

            FlushRun(run);
        }

        private bool IsTiny(Node node) =>
            node.Symbol.Kind is SymbolKind.Field or SymbolKind.EnumMember or SymbolKind.Variable or SymbolKind.Property
                or SymbolKind.Event or SymbolKind.Indexer
            && node.Location.LineCount <= _options.TinyMemberMaxLines;

        /// <summary>
        /// A member with a body short enough to share a run (<see cref="ChunkingOptions.TinyMethodMaxLines"/>). A documented
        /// one keeps its own chunk: its doc sentence heads that chunk, where questions in words find it.
        /// </summary>
        private bool IsTinyBody(Node node) =>
            node.Symbol.Kind is SymbolKind.Method or SymbolKind.Constructor or SymbolKind.Operator or SymbolKind.Function
                or SymbolKind.Property or SymbolKind.Event or SymbolKind.Indexer
            && node.Location.LineCount <= _options.TinyMethodMaxLines && !IsTiny(node) && string.IsNullOrWhiteSpace(node.Symbol.Documentation);

        /// <summary>The most code tokens of a run with bodies: what is left when the header takes its largest share.</summary>
        private int MergedRunCodeBudget => _options.TokenBudget - (int)(_options.TokenBudget * _options.MaxHeaderShare);

        private int[]? _lineTokens;

        /// <summary>Tokens of lines <paramref name="startLine"/> to <paramref name="endLine"/>, measured as <see cref="BodySplitter"/> does.</summary>
        private int RunCodeTokens(int startLine, int endLine)
        {
            _lineTokens ??= new int[document.LineCount + 1];
            var total = 0;
            for (var line = startLine; line <= Math.Min(endLine, document.LineCount); line++)
            {
                if (_lineTokens[line] == 0)
                {
                    _lineTokens[line] = _counter.CountTokens(document.Line(line)) + 1;
                }

                total += _lineTokens[line];
            }

            return total;
        }

        private void ProcessType(Node node)
        {
            var location = node.Location;
            var prepared = header.Prepare(node.Symbol, document.Path, members: Descendants(node).Select(n => n.Symbol).ToList());
            var whole = Code(location.StartLine, location.EndLine);
            var firstHeader = header.Render(prepared, 0, 1, withSignature: false);
            if (_counter.CountTokens(firstHeader) + _counter.CountTokens(whole) <= _options.TokenBudget || node.Children.Count == 0)
            {
                EmitSymbol(node, location.StartLine, location.EndLine, withSignatureOnFirstPart: false, prepared);
                return;
            }

            // Too large to embed whole: a skeleton on the declaration lines, then every member on its own, and the code
            // between members (statements of a factory's callback, class attributes) as further parts of the type.
            var declarationEnd = DeclarationEnd(node);
            var skeleton = Skeleton(node);
            var own = header.Prepare(node.Symbol, document.Path);
            var rest = RestParts(node, declarationEnd, own);
            var text = Fit(PartHeader(own, 0, rest.Count + 1, withSignature: false, firstWithSignature: false, node.Symbol.Traits), skeleton, node.Symbol.Traits);
            Emit(node.Entry, ChunkId(node.Entry, "", 0), location.StartLine, declarationEnd, 0, rest.Count + 1, text,
                document.Lines(location.StartLine, declarationEnd), node.Symbol.QualifiedName, node.Symbol.Kind);
            for (var i = 0; i < rest.Count; i++)
            {
                var (partStart, partEnd) = rest[i];
                var partText = Fit(PartHeader(own, i + 1, rest.Count + 1, withSignature: true, firstWithSignature: false, node.Symbol.Traits), Code(partStart, partEnd), node.Symbol.Traits);
                Emit(node.Entry, ChunkId(node.Entry, "+rest", i), partStart, partEnd, i + 1, rest.Count + 1, partText,
                    document.Lines(partStart, partEnd), node.Symbol.QualifiedName, node.Symbol.Kind);
            }

            ProcessNodes(node.Children);
        }

        /// <summary>The lines of a split type after its declaration that no member covers, cut to the budget; runs with
        /// fewer than two meaningful lines (braces, comments) are left out, as for file-level code.</summary>
        private List<(int Start, int End)> RestParts(Node node, int declarationEnd, ChunkHeaderBuilder.PreparedHeader prepared)
        {
            var start = declarationEnd + 1;
            var end = Math.Min(node.Location.EndLine, document.LineCount);
            var parts = new List<(int Start, int End)>();
            if (start > end)
            {
                return parts;
            }

            var covered = new bool[end - start + 1];
            foreach (var child in Descendants(node))
            {
                for (var line = Math.Max(start, child.Location.StartLine); line <= Math.Min(end, child.Location.EndLine); line++)
                {
                    covered[line - start] = true;
                }
            }

            var codeBudget = -1;
            for (var line = start; line <= end; line++)
            {
                if (covered[line - start])
                {
                    continue;
                }

                var runEnd = line;
                while (runEnd + 1 <= end && !covered[runEnd + 1 - start])
                {
                    runEnd++;
                }

                var (first, last, meaningful) = MeaningfulLines(line, runEnd);
                if (meaningful >= 2)
                {
                    if (codeBudget < 0)
                    {
                        codeBudget = Math.Max(16, _options.TokenBudget - _counter.CountTokens(header.Render(prepared, 8, 9, withSignature: true)));
                    }

                    parts.AddRange(BodySplitter.Split(document, first, last, codeBudget, _counter));
                }

                line = runEnd;
            }

            return parts;
        }

        /// <summary>The declaration lines of a type: from its start to just before its first member, without trailing comments.</summary>
        private int DeclarationEnd(Node node)
        {
            var start = node.Location.StartLine;
            var end = node.Children.Count > 0 ? Math.Max(start, node.Children[0].Location.StartLine - 1) : node.Location.EndLine;
            while (end > start)
            {
                var line = document.Line(end).Trim();
                if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal) || line.StartsWith('#') || line.StartsWith('*') ||
                    line.StartsWith("/*", StringComparison.Ordinal) || line.StartsWith('['))
                {
                    end--;
                    continue;
                }

                break;
            }

            return end;
        }

        private string Skeleton(Node node)
        {
            var builder = new StringBuilder();
            builder.Append(node.Symbol.Signature ?? document.Line(node.Location.StartLine).Trim().ToString()).Append('\n');
            foreach (var child in Flatten(node.Children))
            {
                builder.Append("    ");
                if (IsTiny(child))
                {
                    builder.Append(document.Line(child.Location.StartLine).Trim());
                }
                else
                {
                    builder.Append(child.Symbol.Signature ?? document.Line(child.Location.StartLine).Trim().ToString()).Append(" …");
                }

                builder.Append('\n');
            }

            return builder.ToString();
        }

        private static IEnumerable<Node> Descendants(Node node)
        {
            foreach (var child in node.Children)
            {
                yield return child;
                foreach (var inner in Descendants(child))
                {
                    yield return inner;
                }
            }
        }

        private static IEnumerable<Node> Flatten(List<Node> nodes)
        {
            foreach (var node in nodes)
            {
                if (node.Symbol.Kind is SymbolKind.Namespace or SymbolKind.Module or SymbolKind.File)
                {
                    foreach (var inner in Flatten(node.Children))
                    {
                        yield return inner;
                    }
                }
                else
                {
                    yield return node;
                }
            }
        }

        private void FlushRun(List<Node> run)
        {
            if (run.Count == 0)
            {
                return;
            }

            // A member with a body alone in its run keeps a chunk of its own, exactly as without merging.
            if (run.Count == 1 && IsTinyBody(run[0]))
            {
                var single = run[0];
                EmitSymbol(single, single.Location.StartLine, single.Location.EndLine, withSignatureOnFirstPart: false);
                run.Clear();
                return;
            }

            // A run of tiny members is presented under the type that holds them (or the first member at top level).
            var first = run[0];
            var startLine = first.Location.StartLine;
            var endLine = run[^1].Location.EndLine;
            var prepared = header.Prepare(first.Symbol, document.Path, kindLabel: RunLabel(run), members: run.Skip(1).Select(n => n.Symbol).ToList());
            var parts = SplitToParts(prepared, startLine, endLine);
            for (var i = 0; i < parts.Count; i++)
            {
                var (partStart, partEnd) = parts[i];
                var text = Fit(PartHeader(prepared, i, parts.Count, withSignature: false, firstWithSignature: false, first.Symbol.Traits), Code(partStart, partEnd), first.Symbol.Traits);
                Emit(first.Entry, ChunkId(first.Entry, "+members", i), partStart, partEnd, i, parts.Count, text,
                    document.Lines(partStart, partEnd), first.Symbol.QualifiedName, first.Symbol.Kind);
            }

            run.Clear();
        }

        /// <summary>The scope label of a run: its members' names (<see cref="Context.SymbolNavigator"/> reads them back).</summary>
        private static string RunLabel(List<Node> run) => "members " + string.Join(", ", run.Select(n => n.Symbol.Name));

        private void EmitSymbol(Node node, int startLine, int endLine, bool withSignatureOnFirstPart, ChunkHeaderBuilder.PreparedHeader? prepared = null)
        {
            prepared ??= header.Prepare(node.Symbol, document.Path);
            var parts = SplitToParts(prepared, startLine, endLine);
            for (var i = 0; i < parts.Count; i++)
            {
                var (partStart, partEnd) = parts[i];
                var text = Fit(PartHeader(prepared, i, parts.Count, withSignature: i > 0 || withSignatureOnFirstPart, withSignatureOnFirstPart, node.Symbol.Traits), Code(partStart, partEnd), node.Symbol.Traits);
                Emit(node.Entry, ChunkId(node.Entry, "", i), partStart, partEnd, i, parts.Count, text,
                    document.Lines(partStart, partEnd), node.Symbol.QualifiedName, node.Symbol.Kind);
            }
        }

        private List<(int Start, int End)> SplitToParts(ChunkHeaderBuilder.PreparedHeader prepared, int startLine, int endLine)
        {
            // Later parts carry the signature too, so their header is the largest: size the code for it.
            var largestHeader = _counter.CountTokens(header.Render(prepared, 8, 9, withSignature: true));
            var codeBudget = Math.Max(16, _options.TokenBudget - largestHeader);
            return BodySplitter.Split(document, startLine, endLine, codeBudget, _counter);
        }

        private void ChunkFileLevelCode(List<Entry> entries)
        {
            var covered = new bool[document.LineCount + 2];
            foreach (var entry in entries)
            {
                if (entry.Symbol.Kind is SymbolKind.Namespace or SymbolKind.Module or SymbolKind.File)
                {
                    continue;
                }

                for (var line = entry.Location.StartLine; line <= Math.Min(entry.Location.EndLine, document.LineCount); line++)
                {
                    covered[line] = true;
                }
            }

            var segmentIndex = 0;
            var line0 = 1;
            while (line0 <= document.LineCount)
            {
                if (covered[line0])
                {
                    line0++;
                    continue;
                }

                var end = line0;
                while (end + 1 <= document.LineCount && !covered[end + 1])
                {
                    end++;
                }

                EmitFileSegment(line0, end, ref segmentIndex);
                line0 = end + 1;
            }
        }

        private void EmitFileSegment(int startLine, int endLine, ref int segmentIndex)
        {
            var (first, last, meaningful) = MeaningfulLines(startLine, endLine);
            if (meaningful < 2)
            {
                return;
            }

            var fileHeader = header.BuildForFile(document.Path, 8, 9);
            var codeBudget = Math.Max(16, _options.TokenBudget - _counter.CountTokens(fileHeader));
            var parts = BodySplitter.Split(document, first, last, codeBudget, _counter);
            for (var i = 0; i < parts.Count; i++)
            {
                var (partStart, partEnd) = parts[i];
                var text = Fit(IsHeaderOnly(_fileTraits) ? header.BuildForFile(document.Path, 0, 1) : header.BuildForFile(document.Path, i, parts.Count), Code(partStart, partEnd), _fileTraits);
                var id = string.Create(CultureInfo.InvariantCulture, $"file:{document.Path}#{segmentIndex}.{i}");
                Emit(null, id, partStart, partEnd, i, parts.Count, text, document.Lines(partStart, partEnd), null, SymbolKind.File);
            }

            segmentIndex++;
        }

        /// <summary>
        /// The first and last lines of a range that hold code, and how many do. Lines inside a block comment are not
        /// code: a licence in <c>/* … */</c> at the top of every file would otherwise become a chunk per file, all alike.
        /// </summary>
        private (int First, int Last, int Count) MeaningfulLines(int startLine, int endLine)
        {
            int first = 0, last = 0, count = 0;
            var inComment = false;
            for (var number = startLine; number <= endLine; number++)
            {
                var line = document.Line(number).Trim();
                if (inComment)
                {
                    var close = line.IndexOf("*/", StringComparison.Ordinal);
                    if (close < 0)
                    {
                        continue;
                    }

                    inComment = false;
                    line = line[(close + 2)..].Trim();
                }

                if (line.StartsWith("/*", StringComparison.Ordinal))
                {
                    var close = line[2..].IndexOf("*/", StringComparison.Ordinal);
                    if (close < 0)
                    {
                        inComment = true;
                        continue;
                    }

                    line = line[(close + 4)..].Trim();
                }

                if (IsMeaningful(line))
                {
                    count++;
                    first = first == 0 ? number : first;
                    last = number;
                }
            }

            return (first, last, count);
        }

        private static bool IsMeaningful(ReadOnlySpan<char> line)
        {
            var trimmed = line.Trim();
            if (trimmed.Length == 0)
            {
                return false;
            }

            foreach (var prefix in (ReadOnlySpan<string>)["using ", "import ", "from ", "package ", "namespace ", "#include", "#!", "//", "#", "/*", "*", "'use strict'", "\"use strict\"", "extern crate", "use "])
            {
                if (trimmed.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return false;
                }
            }

            foreach (var c in trimmed)
            {
                if (char.IsLetterOrDigit(c))
                {
                    return true;
                }
            }

            return false;
        }

        private string Code(int startLine, int endLine)
        {
            var code = document.Lines(startLine, endLine);
            return _options.HideDocumentation ? DocCommentFilter.Strip(code) : code;
        }

        /// <summary>
        /// Header plus code, cut to the budget (a single over-long line can still exceed its part's share). Generated code
        /// is embedded by its header alone unless <see cref="ChunkingOptions.EmbedGeneratedCode"/>; its code still goes
        /// into the lexical text.
        /// </summary>
        private string Fit(string headerText, string code, SymbolTraits traits)
        {
            var headerOnly = IsHeaderOnly(traits);
            var text = ChunkText.Truncate(headerOnly ? headerText.TrimEnd('\n') : headerText + code, _options.TokenBudget, _counter, out var tokens);
            _fitted = (text, tokens, headerOnly ? headerText + code : text);
            return text;
        }

        private bool IsHeaderOnly(SymbolTraits traits) => (traits & SymbolTraits.Generated) != 0 && !_options.EmbedGeneratedCode;

        /// <summary>
        /// The header of one part (<paramref name="firstWithSignature"/>: whether the first part's has the signature). A
        /// part embedded by its header alone (generated code) gets the header the definition would have as one chunk:
        /// its parts would otherwise differ only in their part number (a forms designer's <c>InitializeComponent</c> in
        /// a hundred parts was a hundred embeddings of one header), and now share one text and one embedding.
        /// </summary>
        private string PartHeader(ChunkHeaderBuilder.PreparedHeader prepared, int partIndex, int partCount, bool withSignature, bool firstWithSignature,
            SymbolTraits traits) =>
            IsHeaderOnly(traits)
                ? header.Render(prepared, 0, 1, firstWithSignature)
                : header.Render(prepared, partIndex, partCount, withSignature);

        // The last text Fit returned, its token count, and what its lexical text is made of (the text itself, or for
        // generated code the header and the code that was not embedded), so Emit does not tokenize it again.
        private (string Text, int Tokens, string LexicalSource) _fitted;

        private int TokensOf(string embeddingText) =>
            ReferenceEquals(embeddingText, _fitted.Text) ? _fitted.Tokens : _counter.CountTokens(embeddingText);

        private string LexicalSourceOf(string embeddingText) =>
            ReferenceEquals(embeddingText, _fitted.Text) ? _fitted.LexicalSource : embeddingText;

        private static string ChunkId(Entry entry, string qualifier, int part) =>
            string.Create(CultureInfo.InvariantCulture, $"{entry.Symbol.Id}{(entry.LocationIndex > 0 ? "@" + entry.LocationIndex.ToString(CultureInfo.InvariantCulture) : string.Empty)}{qualifier}#{part}");

        private void Emit(Entry? entry, string id, int startLine, int endLine, int partIndex, int partCount, string embeddingText,
            string displayText, string? symbolName, SymbolKind kind)
        {
            var offsets = document.Offsets;
            var startByte = offsets.ToByteOffset(offsets.LineStartChar(startLine));
            var endByte = offsets.ToByteOffset(offsets.LineEndChar(endLine));
            output.Add(new CodeChunk
            {
                Id = id,
                SymbolId = entry?.Symbol.Id,
                SymbolName = symbolName,
                SymbolKind = kind,
                Language = language,
                Location = new SourceLocation(document.Path, startLine, endLine, startByte, endByte),
                PartIndex = partIndex,
                PartCount = partCount,
                Traits = entry?.Symbol.Traits ?? _fileTraits,
                EmbeddingText = embeddingText,
                LexicalText = ChunkText.Lexical(LexicalSourceOf(embeddingText), _options.SplitIdentifiers),
                DisplayText = ChunkText.Display(displayText),
                ContentHash = ContentHash.Of(embeddingText),
                TokenCount = TokensOf(embeddingText),
            });
        }
    }
}
