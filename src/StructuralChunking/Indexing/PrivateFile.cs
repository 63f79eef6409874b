namespace StructuralChunking.Indexing;

/// <summary>
/// How index files, caches and lock files are created: readable and writable by the owner only (0600 on Unix), since
/// they hold source code, possibly from private repositories. Windows files inherit the folder's ACL.
/// </summary>
public static class PrivateFile
{
    /// <summary>Options for creating a new owner-only file for writing (fails when it exists).</summary>
    public static FileStreamOptions CreateNew => OwnerOnly(new()
    {
        Mode = FileMode.CreateNew,
        Access = FileAccess.Write,
        Share = FileShare.None,
        BufferSize = 1 << 16,
    });

    /// <summary>Options for creating or opening an owner-only file for reading and writing.</summary>
    public static FileStreamOptions OpenOrCreate => OwnerOnly(new()
    {
        Mode = FileMode.OpenOrCreate,
        Access = FileAccess.ReadWrite,
        Share = FileShare.None,
    });

    private static FileStreamOptions OwnerOnly(FileStreamOptions options)
    {
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }

    /// <summary>
    /// Creates <paramref name="folder"/> (owner-only on Unix when new) holding a <c>.gitignore</c> that ignores everything,
    /// so an index folder inside a repository never shows up in <c>git status</c> or gets committed. An existing
    /// <c>.gitignore</c> is left as it is.
    /// </summary>
    public static void PrepareIndexFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        var ignore = Path.Combine(folder, ".gitignore");
        if (!File.Exists(ignore))
        {
            try
            {
                using var stream = new FileStream(ignore, FileMode.CreateNew, FileAccess.Write);
                stream.Write("# Written by StructuralChunking: the index is local data, never committed.\n*\n"u8);
            }
            catch (IOException) when (File.Exists(ignore))
            {
                // Another run wrote it first.
            }
        }
    }
}
