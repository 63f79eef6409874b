using System.Runtime.InteropServices;

namespace StructuralChunking.TreeSitter.Native;

/// <summary>An owned <c>TSParser*</c>.</summary>
internal sealed class ParserHandle : SafeHandle
{
    public ParserHandle()
        : base(0, ownsHandle: true)
    {
        SetHandle(TreeSitterNative.ParserNew());
        if (IsInvalid)
        {
            throw new InvalidOperationException("ts_parser_new returned NULL.");
        }
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        TreeSitterNative.ParserDelete(handle);
        return true;
    }
}

/// <summary>An owned <c>TSTree*</c>; nodes taken from it are valid only while it is alive.</summary>
internal sealed class TreeHandle : SafeHandle
{
    public TreeHandle(nint tree)
        : base(0, ownsHandle: true) => SetHandle(tree);

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        TreeSitterNative.TreeDelete(handle);
        return true;
    }
}

/// <summary>An owned <c>TSQuery*</c>. A query is immutable once built and may be shared by cursors on many threads.</summary>
internal sealed class QueryHandle : SafeHandle
{
    public QueryHandle(nint query)
        : base(0, ownsHandle: true) => SetHandle(query);

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        TreeSitterNative.QueryDelete(handle);
        return true;
    }
}

/// <summary>An owned <c>TSQueryCursor*</c>; one thread at a time.</summary>
internal sealed class QueryCursorHandle : SafeHandle
{
    public QueryCursorHandle()
        : base(0, ownsHandle: true)
    {
        SetHandle(TreeSitterNative.QueryCursorNew());
        if (IsInvalid)
        {
            throw new InvalidOperationException("ts_query_cursor_new returned NULL.");
        }
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        TreeSitterNative.QueryCursorDelete(handle);
        return true;
    }
}
