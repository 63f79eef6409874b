using StructuralChunking.Discovery;

namespace StructuralChunking.Tests.Discovery;

public sealed class IgnoreRulesTests
{
    [Fact]
    public void Last_matching_pattern_in_a_file_wins()
    {
        var rules = IgnoreRules.Empty.With([IgnoreFile.Parse(".gitignore", "", "*.cs\n!Keep.cs\n")]);

        Assert.True(rules.IsIgnored("src/Drop.cs", isDirectory: false));
        Assert.False(rules.IsIgnored("src/Keep.cs", isDirectory: false));
    }

    [Fact]
    public void Deeper_file_takes_precedence_and_applies_relative_to_its_folder()
    {
        var rules = IgnoreRules.Empty.With([
            IgnoreFile.Parse(".gitignore", "", "*.g.cs\n"),
            IgnoreFile.Parse("src/.gitignore", "src", "!Kept.g.cs\n/gen/\n"),
        ]);

        Assert.True(rules.IsIgnored("Root.g.cs", isDirectory: false));
        Assert.False(rules.IsIgnored("src/Kept.g.cs", isDirectory: false));
        Assert.True(rules.IsIgnored("src/Other.g.cs", isDirectory: false));
        Assert.True(rules.IsIgnored("src/gen", isDirectory: true));
        Assert.False(rules.IsIgnored("gen", isDirectory: true));
        Assert.False(rules.IsIgnored("src/lib/gen", isDirectory: true));
        Assert.False(rules.IsIgnored("srcx/gen", isDirectory: true));
    }

    [Fact]
    public void Match_names_the_pattern_file_and_line()
    {
        var rules = IgnoreRules.Empty.With([IgnoreFile.Parse("src/.gitignore", "src", "# header\n\nbuild/\n")]);

        var match = rules.Match("src/app/build", isDirectory: true);

        Assert.NotNull(match);
        Assert.True(match.Value.IsIgnored);
        Assert.Equal("matched 'build/' in src/.gitignore line 3", match.Value.Describe());
        Assert.Null(rules.Match("src/app/build", isDirectory: false));
    }

    [Fact]
    public void Parse_skips_a_byte_order_mark_and_handles_crlf()
    {
        var file = IgnoreFile.Parse(".gitignore", "", "\uFEFF*.tmp\r\n\r\n!a.tmp\r\n");

        Assert.Equal(["*.tmp", "!a.tmp"], file.Patterns.Select(p => p.Text));
        Assert.Equal([1, 3], file.Patterns.Select(p => p.LineNumber));
    }

    [Fact]
    public void Empty_rules_ignore_nothing()
    {
        Assert.True(IgnoreRules.Empty.IsEmpty);
        Assert.False(IgnoreRules.Empty.IsIgnored("anything", isDirectory: false));
        Assert.True(IgnoreRules.Empty.With([IgnoreFile.Parse("x", "", "# only a comment\n")]).IsEmpty);
    }
}
