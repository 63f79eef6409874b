using System.Diagnostics;
using System.Runtime.InteropServices;
using StructuralChunking.TreeSitter.Native;

namespace StructuralChunking.TreeSitter.Internal;

/// <summary>Why a parse or query stopped early.</summary>
internal enum StopReason
{
    None,
    Timeout,
    Cancelled,
}

/// <summary>
/// The native state one thread needs: a parser per language and one query cursor, plus the time budget the progress
/// callbacks check. Not thread-safe; every parallel worker owns one.
/// </summary>
internal sealed unsafe class SyntaxWorker : IDisposable
{
    private static readonly byte[] EmptyText = [0];

    private readonly Dictionary<string, ParserHandle> _parsers = new(StringComparer.Ordinal);
    private readonly QueryCursorHandle _cursor = new();
    private readonly Budget _budget = new();
    private GCHandle _budgetHandle;
    private TSQueryCursorOptions* _queryOptions;

    public SyntaxWorker(uint matchLimit)
    {
        _budgetHandle = GCHandle.Alloc(_budget);

        // The cursor keeps this pointer until the next exec, and calls back through it from every next_match:
        // it must outlive the call that installs it, so it lives in native memory owned by the worker.
        _queryOptions = (TSQueryCursorOptions*)NativeMemory.Alloc((nuint)sizeof(TSQueryCursorOptions));
        _queryOptions->Payload = (void*)GCHandle.ToIntPtr(_budgetHandle);
        _queryOptions->ProgressCallback = &OnQueryProgress;
        TreeSitterNative.QueryCursorSetMatchLimit(_cursor.DangerousGetHandle(), matchLimit);
    }

    public nint Cursor => _cursor.DangerousGetHandle();

    /// <summary>Why the last parse or query stopped early.</summary>
    public StopReason Stopped => _budget.Stopped;

    /// <summary>Starts the time budget of one file.</summary>
    public void Begin(TimeSpan timeout, CancellationToken cancellationToken)
    {
        _budget.Deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        _budget.CancellationToken = cancellationToken;
        _budget.Stopped = StopReason.None;
    }

    /// <summary>Parses <paramref name="text"/>; null when the budget ran out or the token was cancelled.</summary>
    public TreeHandle? Parse(Grammar grammar, byte[] text)
    {
        var parser = ParserFor(grammar);
        nint tree;
        // An empty file still gets a valid pointer: the reader never hands tree-sitter NULL.
        var buffer = text.Length == 0 ? EmptyText : text;
        fixed (byte* data = buffer)
        {
            var source = new SourceBuffer { Data = data, Length = (uint)text.Length };
            var input = new TSInput
            {
                Payload = &source,
                Read = &ReadSource,
                Encoding = 0,
            };
            var options = new TSParseOptions
            {
                Payload = (void*)GCHandle.ToIntPtr(_budgetHandle),
                ProgressCallback = &OnParseProgress,
            };
            tree = TreeSitterNative.ParserParseWithOptions(parser, 0, input, options);
        }

        if (tree == 0)
        {
            // A stopped parse keeps state for resumption; start the next file from scratch.
            TreeSitterNative.ParserReset(parser);
            if (_budget.Stopped == StopReason.None)
            {
                _budget.Stopped = StopReason.Timeout;
            }

            return null;
        }

        return new TreeHandle(tree);
    }

    /// <summary>Starts <paramref name="query"/> on <paramref name="node"/> under the same budget.</summary>
    public void Exec(TagsQuery query, TSNode node) =>
        TreeSitterNative.QueryCursorExecWithOptions(Cursor, query.Handle, node, _queryOptions);

    private nint ParserFor(Grammar grammar)
    {
        if (!_parsers.TryGetValue(grammar.Spec.Id, out var parser))
        {
            parser = new ParserHandle();
            if (!TreeSitterNative.ParserSetLanguage(parser.DangerousGetHandle(), grammar.Language))
            {
                parser.Dispose();
                throw new InvalidOperationException($"ts_parser_set_language refused the '{grammar.Spec.Id}' grammar (ABI {grammar.AbiVersion}).");
            }

            _parsers.Add(grammar.Spec.Id, parser);
        }

        return parser.DangerousGetHandle();
    }

    public void Dispose()
    {
        foreach (var parser in _parsers.Values)
        {
            parser.Dispose();
        }

        _parsers.Clear();
        _cursor.Dispose();
        if (_queryOptions != null)
        {
            NativeMemory.Free(_queryOptions);
            _queryOptions = null;
        }

        if (_budgetHandle.IsAllocated)
        {
            _budgetHandle.Free();
        }
    }

    [UnmanagedCallersOnly]
    private static byte* ReadSource(void* payload, uint byteIndex, TSPoint position, uint* bytesRead)
    {
        var source = (SourceBuffer*)payload;
        if (byteIndex >= source->Length)
        {
            *bytesRead = 0;
            return source->Data;
        }

        *bytesRead = source->Length - byteIndex;
        return source->Data + byteIndex;
    }

    [UnmanagedCallersOnly]
    private static byte OnParseProgress(TSParseState* state) => ShouldStop(state->Payload);

    [UnmanagedCallersOnly]
    private static byte OnQueryProgress(TSQueryCursorState* state) => ShouldStop(state->Payload);

    private static byte ShouldStop(void* payload)
    {
        var budget = (Budget)GCHandle.FromIntPtr((nint)payload).Target!;
        if (budget.CancellationToken.IsCancellationRequested)
        {
            budget.Stopped = StopReason.Cancelled;
            return 1;
        }

        if (Stopwatch.GetTimestamp() > budget.Deadline)
        {
            budget.Stopped = StopReason.Timeout;
            return 1;
        }

        return 0;
    }

    private struct SourceBuffer
    {
        public byte* Data;
        public uint Length;
    }

    private sealed class Budget
    {
        public long Deadline { get; set; } = long.MaxValue;
        public CancellationToken CancellationToken { get; set; }
        public StopReason Stopped { get; set; }
    }
}
