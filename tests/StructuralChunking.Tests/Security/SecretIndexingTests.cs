using static StructuralChunking.Tests.Support.Cli;
using System.Text;
using StructuralChunking.Indexing;
using StructuralChunking.Tests.Support;

namespace StructuralChunking.Tests.Security;

public sealed class SecretIndexingTests
{
    [Fact]
    public async Task No_secret_of_the_corpus_is_in_the_saved_index_and_the_redactions_are_listed()
    {
        using var folder = new TempDirectory();
        foreach (var (path, text) in SecretCorpus.Files)
        {
            folder.Write("repo/" + path, text);
        }

        var repo = Path.Combine(folder.Path, "repo");
        var (exitCode, output, error) = await Run("index", repo, "--embedder", "hash", "--show-redactions");
        Assert.True(exitCode == 0, error);
        Assert.Matches(@", \d+ secrets redacted,", output);
        Assert.Contains("redacted private-key at Keys.cs:6", output, StringComparison.Ordinal);
        Assert.Contains("redacted assigned-secret at settings.py:1", output, StringComparison.Ordinal);

        var indexPath = Path.Combine(repo, ".structchunk", "index.scidx");
        var raw = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(indexPath));
        foreach (var secret in SecretCorpus.Values)
        {
            Assert.DoesNotContain(secret, raw, StringComparison.Ordinal);
        }

        // The chunks are still there and findable by their code.
        var index = CodeIndex.Load(indexPath);
        Assert.Contains(index.Chunks, c => c.Path == "Keys.cs");
        Assert.NotEmpty(index.Metadata.Redactions);

        // Private by default, and invisible to git.
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(indexPath));
        }

        Assert.Equal("*", (await File.ReadAllLinesAsync(Path.Combine(repo, ".structchunk", ".gitignore"))).Last());
    }

    [Fact]
    public async Task Out_refuses_to_replace_a_file_that_is_not_an_index()
    {
        using var folder = new TempDirectory();
        folder.Write("repo/A.cs", "namespace A; public class B { }");
        var notes = folder.Write("notes.txt", "my notes");

        var (exitCode, _, error) = await Run("index", Path.Combine(folder.Path, "repo"), "--out", notes, "--embedder", "hash");

        Assert.Equal(1, exitCode);
        Assert.Contains("not a structchunk index", error, StringComparison.Ordinal);
        Assert.Equal("my notes", await File.ReadAllTextAsync(notes));
        Assert.False(File.Exists(notes + ".lock"));
    }

    [Fact]
    public async Task Search_refuses_a_device_and_an_index_with_impossible_counts()
    {
        if (File.Exists("/dev/zero"))
        {
            var (exitCode, _, error) = await Run("search", "anything", "--index", "/dev/zero");
            Assert.Equal(1, exitCode);
            Assert.Contains("not a", error, StringComparison.Ordinal);
        }

        // A valid index whose header then claims huge dimensions, with a correct checksum: a range error, not an overflow.
        using var folder = new TempDirectory();
        folder.Write("repo/A.cs", "namespace A; public class B { public void C() { } }");
        var indexPath = Path.Combine(folder.Path, "a.scidx");
        Assert.Equal(0, (await Run("index", Path.Combine(folder.Path, "repo"), "--out", indexPath, "--embedder", "hash")).ExitCode);
        var from = "\"Dimensions\":512"u8.ToArray();
        var to = "\"Dimensions\":2147483647"u8.ToArray();
        // Fix the section offsets and checksums, as a hand-made file would.
        IndexFileSections.Rewrite(indexPath, IndexFileSections.Metadata, metadata =>
        {
            var at = metadata.AsSpan().IndexOf(from);
            Assert.True(at >= 0);
            return [.. metadata[..at], .. to, .. metadata[(at + from.Length)..]];
        });

        var ex = Assert.Throws<IndexFormatException>(() => CodeIndex.Load(indexPath));
        Assert.Contains("out of range", ex.Message, StringComparison.Ordinal);
    }
}
