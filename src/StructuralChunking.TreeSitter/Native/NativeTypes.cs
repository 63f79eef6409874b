using System.Runtime.InteropServices;

namespace StructuralChunking.TreeSitter.Native;

// Blittable mirrors of tree-sitter 0.25's api.h structs. Field order and sizes must match the C declarations.

/// <summary><c>TSPoint</c>: a 0-based row and a byte column.</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct TSPoint
{
    public readonly uint Row;
    public readonly uint Column;
}

/// <summary><c>TSNode</c>: a value type that points into a tree; valid while its tree lives.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct TSNode
{
    public fixed uint Context[4];
    public nint Id;
    public nint Tree;

    /// <summary>True for the null node tree-sitter returns when there is no such node.</summary>
    public readonly bool IsNull => Id == 0;

    /// <summary>First byte (UTF-8 offset): <c>context[0]</c>, as <c>ts_node_start_byte</c> reads it.</summary>
    public readonly uint StartByte => Context[0];
}

/// <summary><c>TSQueryCapture</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TSQueryCapture
{
    public TSNode Node;
    public uint Index;
}

/// <summary><c>TSQueryMatch</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct TSQueryMatch
{
    public uint Id;
    public ushort PatternIndex;
    public ushort CaptureCount;
    public TSQueryCapture* Captures;
}

/// <summary><c>TSQueryPredicateStep</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TSQueryPredicateStep
{
    public PredicateStepType Type;
    public uint ValueId;
}

/// <summary><c>TSQueryPredicateStepType</c>.</summary>
internal enum PredicateStepType
{
    Done = 0,
    Capture = 1,
    String = 2,
}

/// <summary><c>TSQueryError</c>.</summary>
internal enum TSQueryError
{
    None = 0,
    Syntax,
    NodeType,
    Field,
    Capture,
    Structure,
    Language,
}

/// <summary><c>TSInput</c>: how the parser reads the text.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct TSInput
{
    public void* Payload;
    public delegate* unmanaged<void*, uint, TSPoint, uint*, byte*> Read;
    public int Encoding;
    public nint Decode;
}

/// <summary><c>TSParseState</c>, handed to the progress callback.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct TSParseState
{
    public void* Payload;
    public uint CurrentByteOffset;
    public byte HasError;
}

/// <summary><c>TSParseOptions</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct TSParseOptions
{
    public void* Payload;
    public delegate* unmanaged<TSParseState*, byte> ProgressCallback;
}

/// <summary><c>TSQueryCursorState</c>, handed to the query progress callback.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct TSQueryCursorState
{
    public void* Payload;
    public uint CurrentByteOffset;
}

/// <summary><c>TSQueryCursorOptions</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct TSQueryCursorOptions
{
    public void* Payload;
    public delegate* unmanaged<TSQueryCursorState*, byte> ProgressCallback;
}
