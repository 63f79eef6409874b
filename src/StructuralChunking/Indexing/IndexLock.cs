namespace StructuralChunking.Indexing;

/// <summary>
/// An exclusive lock next to an index file, held while the index is rebuilt, so two concurrent runs cannot interleave.
/// The operating system releases it when the process ends, so a crashed run never leaves a stale lock behind.
/// </summary>
public sealed class IndexLock : IDisposable
{
    private readonly FileStream _stream;

    private IndexLock(FileStream stream, string path)
    {
        _stream = stream;
        Path = path;
    }

    /// <summary>Path of the lock file.</summary>
    public string Path { get; }

    /// <summary>Takes the lock for the index at <paramref name="indexPath"/>.</summary>
    /// <exception cref="IOException">Another process holds it; the message says so.</exception>
    public static IndexLock Acquire(string indexPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(indexPath);
        var path = System.IO.Path.GetFullPath(indexPath) + ".lock";
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        try
        {
            var options = PrivateFile.OpenOrCreate;
            options.BufferSize = 1;
            options.Options = FileOptions.DeleteOnClose;
            var stream = new FileStream(path, options);
            return new IndexLock(stream, path);
        }
        catch (IOException ex)
        {
            throw new IOException($"Another indexing run is writing '{indexPath}' (lock '{path}' is held). Wait for it to finish.", ex);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
