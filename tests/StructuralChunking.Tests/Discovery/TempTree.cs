using System.Text;

namespace StructuralChunking.Tests.Discovery;

/// <summary>A folder tree on disk under the temp folder, with a random name, deleted on dispose.</summary>
internal sealed class TempTree : IDisposable
{
    public TempTree()
    {
        Root = Path.Join(Path.GetTempPath(), "structchunk-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>Writes a UTF-8 text file (no BOM) at a relative path with '/' separators, creating folders.</summary>
    public TempTree File(string relativePath, string content = "// x\n") =>
        Bytes(relativePath, Encoding.UTF8.GetBytes(content));

    public TempTree Bytes(string relativePath, byte[] content)
    {
        var path = FullPath(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllBytes(path, content);
        return this;
    }

    public TempTree Folder(string relativePath)
    {
        Directory.CreateDirectory(FullPath(relativePath));
        return this;
    }

    public string FullPath(string relativePath) => Path.Join(Root, relativePath.Replace('/', Path.DirectorySeparatorChar));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
