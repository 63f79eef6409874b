using StructuralChunking.Chunking;
using StructuralChunking.Security;

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
