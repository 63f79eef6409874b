using StructuralChunking.Chunking;
using StructuralChunking.Security;
using StructuralChunking.Tests.Support;

namespace StructuralChunking.Tests.Security;

public sealed class SecretRedactorTests
{
    [Fact]
    public void Every_planted_secret_is_found_and_masked_keeping_length_and_lines()
    {
        foreach (var (path, text) in SecretCorpus.Files)
        {
            var redactions = new List<SecretRedaction>();
            var masked = SecretRedactor.Mask(text, path, redactions);
            Assert.Equal(text.Length, masked.Length);
            Assert.Equal(text.Count(c => c == '\n'), masked.Count(c => c == '\n'));
            Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(text), System.Text.Encoding.UTF8.GetByteCount(masked));
            Assert.NotEmpty(redactions);
            foreach (var secret in SecretCorpus.Values)
            {
                Assert.DoesNotContain(secret, masked, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Kinds_and_lines_are_reported()
    {
        var redactions = new List<SecretRedaction>();
        SecretRedactor.Mask(SecretCorpus.Files["Keys.cs"], "Keys.cs", redactions);
        Assert.Equal(["private-key", "aws-access-key", "github-token", "connection-string-password", "slack-token"], redactions.Select(r => r.Kind));
        Assert.Equal(6, redactions[0].Line);
        Assert.Equal(11, redactions[1].Line);
    }

    [Theory]
    [InlineData("var password = GetPassword();")]
    [InlineData("public string Token { get; init; } = \"\";")]
    [InlineData("const string secretName = \"database\";")]
    [InlineData("if (apiKey == null) throw new ArgumentNullException(nameof(apiKey));")]
    [InlineData("var url = \"https://example.com/path?q=1\";")]
    public void Ordinary_code_is_left_alone(string line) =>
        Assert.Same(line, SecretRedactor.Mask(line, "x.cs"));

    [Fact]
    public void The_literal_precheck_finds_exactly_what_running_every_pattern_finds()
    {
        // The planted secrets, each also upper-cased, lower-cased and with a non-ASCII character nearby (where the
        // case-insensitive patterns must always run), and every source file of the test fixtures and of this library.
        var texts = new List<string>();
        foreach (var text in SecretCorpus.Files.Values)
        {
            texts.AddRange([text, text.ToUpperInvariant(), text.ToLowerInvariant(), "// café\n" + text, text.Replace("Password=", "PASSWORD=", StringComparison.Ordinal)]);
            texts.AddRange(text.Split('\n'));
        }

        texts.Add("ſecret_value = \"aB3$xY9!kL2#\"");
        texts.Add("api_\u212Aey = \"aB3$xY9!kL2#\"");
        texts.Add("var token = 'aB3$xY9!kL2#';");
        foreach (var folder in new[] { RepositoryPaths.Fixture(), Path.Combine(RepositoryPaths.Root, "src", "StructuralChunking") })
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal)))
            {
                if (new FileInfo(file).Length < 200_000 && Path.GetExtension(file) is ".cs" or ".py" or ".js" or ".ts" or ".go" or ".java" or ".rb" or ".php" or ".json" or ".rs" or ".c")
                {
                    texts.Add(File.ReadAllText(file));
                }
            }
        }

        Assert.True(texts.Count > 100);
        var found = 0;
        foreach (var text in texts)
        {
            var all = SecretRedactor.Find(text, precheck: false);
            Assert.Equal(all, SecretRedactor.Find(text, precheck: true));
            found += all.Count;
        }

        Assert.True(found > 20, $"only {found} secrets found: the comparison would prove little");
    }

    [Fact]
    public void Replace_shortens_mask_padding_so_masked_blocks_cost_no_tokens()
    {
        var masked = SecretRedactor.Mask(SecretCorpus.Files["Keys.cs"], "Keys.cs");
        var replaced = SecretRedactor.Replace(masked, out var count);
        Assert.Equal(0, count);
        Assert.DoesNotContain("****", replaced, StringComparison.Ordinal);
        Assert.Contains(SecretRedactor.Marker, replaced, StringComparison.Ordinal);
    }

    [Fact]
    public void Source_texts_mask_as_they_read_and_list_what_they_masked()
    {
        var texts = SourceTexts.FromMemory(SecretCorpus.Files);
        Assert.DoesNotContain(SecretCorpus.Aws, texts.Get("Keys.cs")!.Text, StringComparison.Ordinal);
        Assert.Contains(texts.Redactions, r => r.Path == "settings.py" && r.Kind == "assigned-secret");
        Assert.Contains(texts.Redactions, r => r.Path == "client.js" && r.Kind == "assigned-secret");

        var plain = SourceTexts.FromMemory(SecretCorpus.Files, redactSecrets: false);
        Assert.Contains(SecretCorpus.Aws, plain.Get("Keys.cs")!.Text, StringComparison.Ordinal);
        Assert.Empty(plain.Redactions);
    }
}
