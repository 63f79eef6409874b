using StructuralChunking.Discovery;

namespace StructuralChunking.Tests.Discovery;

public sealed class GitIgnorePatternTests
{
    // Every row was checked with `git check-ignore --no-index` (git 2.39) in a repository whose .gitignore held
    // only the pattern, except where noted. IsMatch decides about the exact path only: git additionally excludes
    // everything below a matching folder, which the walker gets by never entering it.
    [Theory]
    [InlineData("foo", "foo", false, true)]
    [InlineData("foo", "a/foo", false, true)]
    [InlineData("foo", "a/foo", true, true)]
    [InlineData("foo", "foobar", false, false)]
    [InlineData("foo/", "foo", true, true)]
    [InlineData("foo/", "foo", false, false)]
    [InlineData("foo/", "a/foo", true, true)]
    [InlineData("/foo", "foo", false, true)]
    [InlineData("/foo", "a/foo", false, false)]
    [InlineData("a/foo", "a/foo", false, true)]
    [InlineData("a/foo", "b/a/foo", false, false)]
    [InlineData("*.log", "x.log", false, true)]
    [InlineData("*.log", "a/b/x.log", false, true)]
    [InlineData("*.log", "x.log.txt", false, false)]
    [InlineData("/*.log", "a/x.log", false, false)]
    [InlineData("/*.log", "x.log", false, true)]
    [InlineData("a/*.c", "a/x.c", false, true)]
    [InlineData("a/*.c", "a/b/x.c", false, false)]
    [InlineData("?.c", "x.c", false, true)]
    [InlineData("?.c", "xy.c", false, false)]
    [InlineData("a?b", "a/b", false, false)]
    [InlineData("a?b", "axb", false, true)]
    [InlineData("[abc].c", "b.c", false, true)]
    [InlineData("[abc].c", "d.c", false, false)]
    [InlineData("[a-c]x", "bx", false, true)]
    [InlineData("[!a-c]x", "bx", false, false)]
    [InlineData("[!a-c]x", "dx", false, true)]
    [InlineData("[^a]x", "bx", false, true)]
    [InlineData("[]]x", "]x", false, true)]
    [InlineData("[!]]x", "]x", false, false)]
    [InlineData("[[:digit:]].txt", "7.txt", false, true)]
    [InlineData("[[:digit:]].txt", "a.txt", false, false)]
    [InlineData("[[:upper:]]*", "Readme", false, true)]
    [InlineData("[[:nope:]]x", "nx", false, false)]
    [InlineData("[z-a]x", "zx", false, true)]
    [InlineData("[z-a]x", "yx", false, false)]
    [InlineData("[a-]x", "-x", false, true)]
    [InlineData("**/foo", "foo", false, true)]
    [InlineData("**/foo", "a/b/foo", false, true)]
    [InlineData("**/a/b", "x/y/a/b", false, true)]
    [InlineData("**/a/b", "a/b", false, true)]
    [InlineData("abc/**", "abc/x", false, true)]
    [InlineData("abc/**", "abc/x/y", false, true)]
    [InlineData("abc/**", "abc", true, false)]
    [InlineData("a/**/b", "a/b", false, true)]
    [InlineData("a/**/b", "a/x/b", false, true)]
    [InlineData("a/**/b", "a/x/y/b", false, true)]
    [InlineData("a/**/b", "a/xb", false, false)]
    [InlineData("a**b", "axyb", false, true)]
    [InlineData("a**b", "a/b", false, false)]
    [InlineData("foo/**b", "foo/xb", false, true)]
    [InlineData("foo/**b", "foo/x/b", false, false)]
    [InlineData("**", "a/b", false, true)]
    [InlineData("\\#foo", "#foo", false, true)]
    [InlineData("\\!foo", "!foo", false, true)]
    [InlineData("foo\\ ", "foo ", false, true)]
    [InlineData("foo  ", "foo", false, true)]
    [InlineData("\\*", "*", false, true)]
    [InlineData("\\*", "x", false, false)]
    [InlineData("*", "a/b", false, true)]
    [InlineData("/*", "a/b", false, false)]  // git: ignored only because its parent folder matches
    [InlineData("/*", "a", true, true)]
    [InlineData("a[b", "a[b", false, false)]
    [InlineData("*.CS", "a.cs", false, false)]
    [InlineData("doc/frotz/", "doc/frotz", true, true)]
    [InlineData("frotz/", "a/frotz", true, true)]
    [InlineData("doc/frotz", "a/doc/frotz", true, false)]
    [InlineData("*.c\r", "x.c", false, true)]
    [InlineData("[a-c/]x", "bx", false, true)]
    [InlineData("[a-c/]x", "a/bx", false, false)]
    [InlineData("a[/]b", "a/b", false, false)]
    [InlineData("a[!x]b", "a/b", false, false)]
    [InlineData("/**/foo", "a/foo", false, true)]
    [InlineData("a/**/", "a/b/c", true, true)]
    [InlineData("a/**/", "a/b/c", false, false)]  // git: ignored only because its parent folder matches
    [InlineData("**/*.cs", "x/y.cs", false, true)]
    [InlineData("[[:alpha:]x", "ax", false, false)]
    [InlineData("[[:alpha]x", ":x", false, true)]
    [InlineData("foo\\", "foo\\", false, false)]
    [InlineData("[!]]x", "ax", false, true)]
    [InlineData("[\\]]x", "]x", false, true)]
    [InlineData("[a\\-c]x", "bx", false, false)]
    [InlineData("[a\\-c]x", "-x", false, true)]
    [InlineData("\\[a]", "[a]", false, true)]
    [InlineData("a\\ b", "a b", false, true)]
    [InlineData("x\\ \\  ", "x  ", false, true)]
    [InlineData("*.cs", "src/A.cs", false, true)]
    [InlineData("src/", "src", true, true)]
    [InlineData("!keep.cs", "keep.cs", false, true)]  // a match; IsNegation makes it a re-include
    [InlineData("a/**/**/b", "a/b", false, true)]
    [InlineData("a/**/**/b", "a/x/y/z/b", false, true)]
    [InlineData("**/x/**/y", "p/x/q/r/y", false, true)]
    [InlineData("**/x/**/y", "x/y", false, true)]
    [InlineData("**/x/**/y", "x/yy", false, false)]
    [InlineData("a/**/b/**/c", "a/q/b/c", true, true)]
    [InlineData("a/**/b/**/c", "a/q/b/c/d", false, false)]  // git: ignored only because its parent folder matches
    [InlineData("a\\/b", "a/b", false, true)]
    [InlineData("src/*/test/*.cs", "src/m/test/T.cs", false, true)]
    [InlineData("src/*/test/*.cs", "src/m/n/test/T.cs", false, false)]
    public void Matches_like_git(string pattern, string path, bool isDirectory, bool expected)
    {
        var parsed = GitIgnorePattern.Parse(pattern);

        Assert.NotNull(parsed);
        Assert.Equal(expected, parsed.IsMatch(path, isDirectory));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\r")]
    [InlineData("# a comment")]
    [InlineData("#*.cs")]
    [InlineData("!")]
    [InlineData("/")]
    public void Blank_lines_comments_and_empty_patterns_are_not_patterns(string line) =>
        Assert.Null(GitIgnorePattern.Parse(line));

    [Fact]
    public void Parse_records_negation_directory_only_anchoring_and_origin()
    {
        var pattern = GitIgnorePattern.Parse("!/src/gen/  ", lineNumber: 7)!;

        Assert.True(pattern.IsNegation);
        Assert.True(pattern.IsDirectoryOnly);
        Assert.True(pattern.IsAnchored);
        Assert.Equal("!/src/gen/", pattern.Text);
        Assert.Equal(7, pattern.LineNumber);

        var plain = GitIgnorePattern.Parse("*.log")!;
        Assert.False(plain.IsNegation);
        Assert.False(plain.IsDirectoryOnly);
        Assert.False(plain.IsAnchored);
    }

    [Fact]
    public void Escaped_hash_and_bang_are_literal_not_comment_or_negation()
    {
        Assert.False(GitIgnorePattern.Parse(@"\!important.cs")!.IsNegation);
        Assert.NotNull(GitIgnorePattern.Parse(@"\#notes.cs"));
    }

    [Fact]
    public void Pathological_pattern_matches_in_linear_time()
    {
        var pattern = GitIgnorePattern.Parse("*a*a*a*a*a*a*a*a*a*a*b")!;
        var name = new string('a', 4000);

        // A hang guard, not a speed test: backtracking would take longer than the age of the universe here, the
        // linear matcher microseconds. Speed itself is for the benchmarks.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(pattern.IsMatch(name, isDirectory: false));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Many_double_stars_on_a_deep_path_match_in_polynomial_time()
    {
        var pattern = GitIgnorePattern.Parse(string.Concat(Enumerable.Repeat("**/a/", 12)) + "b")!;
        var path = string.Join('/', Enumerable.Repeat("a", 300)) + "/c";

        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(pattern.IsMatch(path, isDirectory: false));
        Assert.True(pattern.IsMatch(string.Join('/', Enumerable.Repeat("a", 300)) + "/b", isDirectory: false));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"took {watch.Elapsed}");
    }
}
