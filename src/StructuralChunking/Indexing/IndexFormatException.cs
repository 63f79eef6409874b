namespace StructuralChunking.Indexing;

/// <summary>An index file cannot be used: corrupt, truncated, from another format version, or not an index at all.</summary>
public sealed class IndexFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public IndexFormatException()
    {
    }

    /// <summary>Creates the exception with a message a user can act on.</summary>
    public IndexFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure that caused it.</summary>
    public IndexFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The index was built with another embedding model or dimension than the one asked to search it.</summary>
public sealed class IndexModelMismatchException : Exception
{
    /// <summary>Creates the exception.</summary>
    public IndexModelMismatchException()
    {
    }

    /// <summary>Creates the exception with a message a user can act on.</summary>
    public IndexModelMismatchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure that caused it.</summary>
    public IndexModelMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
