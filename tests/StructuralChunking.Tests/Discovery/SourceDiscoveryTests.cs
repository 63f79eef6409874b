using System.Text;
using StructuralChunking.Discovery;

namespace StructuralChunking.Tests.Discovery;

public sealed class SourceDiscoveryTests
{
    private static SourceDiscoveryResult Discover(TempTree tree, SourceDiscoveryOptions? options = null) =>
        SourceDiscovery.Discover(tree.Root, options);

    private static string[] Files(SourceDiscoveryResult result) => [.. result.Files.Select(f => f.RelativePath)];

    private static SkippedPath SkippedAt(SourceDiscoveryResult result, string relativePath) =>
        Assert.Single(result.Skipped, s => s.RelativePath == relativePath);

    [Fact]
    public void Finds_sources_with_forward_slash_paths_language_length_and_encoding()
    {
        using var tree = new TempTree()
            .File("Program.cs", "class P {}\n")
            .File("src/lib/util.py", "x = 1\n")
            .File("README.md", "# hi\n")
            .File("Makefile", "all:\n");

        var result = Discover(tree);

        Assert.Equal(["Program.cs", "src/lib/util.py"], Files(result));
        var python = result.Files[1];
        Assert.Equal(LanguageIds.Python, python.Language);
        Assert.Equal(6, python.Length);
        Assert.Equal(SourceEncoding.Utf8, python.Encoding);
        Assert.Equal(tree.FullPath("src/lib/util.py"), python.FullPath);
        Assert.Equal(Path.GetFullPath(tree.Root), result.Root);
        Assert.Equal(SkipReason.UnsupportedLanguage, SkippedAt(result, "README.md").Reason);
        Assert.Equal("extension '.md' maps to no known language", SkippedAt(result, "README.md").Detail);
        Assert.Equal("no file extension", SkippedAt(result, "Makefile").Detail);
    }

    [Fact]
    public void Nested_gitignore_with_negation_and_anchoring()
    {
        using var tree = new TempTree()
            .File(".gitignore", "*.g.cs\n/Local.cs\n")
            .File("Local.cs")
            .File("A.g.cs")
            .File("src/Local.cs")
            .File("src/.gitignore", "!Keep.g.cs\n/gen/\nlib/Skip.cs\n")
            .File("src/Keep.g.cs")
            .File("src/Drop.g.cs")
            .File("src/gen/Gen.cs")
            .File("src/lib/Skip.cs")
            .File("src/lib/Ok.cs")
            .File("src/sub/gen/Deep.cs")
            .File("src/sub/lib/Skip.cs");

        var result = Discover(tree);

        Assert.Equal(
            ["src/Keep.g.cs", "src/Local.cs", "src/lib/Ok.cs", "src/sub/gen/Deep.cs", "src/sub/lib/Skip.cs"],
            Files(result));
        Assert.Equal("matched '*.g.cs' in .gitignore line 1", SkippedAt(result, "A.g.cs").Detail);
        Assert.Equal("matched '*.g.cs' in .gitignore line 1", SkippedAt(result, "src/Drop.g.cs").Detail);
        Assert.Equal("matched '/Local.cs' in .gitignore line 2", SkippedAt(result, "Local.cs").Detail);
        var gen = SkippedAt(result, "src/gen");
        Assert.Equal(SkipReason.Ignored, gen.Reason);
        Assert.True(gen.IsDirectory);
        Assert.Equal("matched '/gen/' in src/.gitignore line 2", gen.Detail);
        Assert.Equal("matched 'lib/Skip.cs' in src/.gitignore line 3", SkippedAt(result, "src/lib/Skip.cs").Detail);
        Assert.DoesNotContain(result.Skipped, s => s.RelativePath.StartsWith("src/gen/", StringComparison.Ordinal));
    }

    [Fact]
    public void Directory_only_pattern_skips_folders_but_not_files_of_that_name()
    {
        using var tree = new TempTree()
            .File(".gitignore", "legacy/\n")
            .File("legacy/Old.cs")
            .File("app/legacy", "not a folder")
            .File("app/legacy.cs/Weird.cs")
            .File("app/Main.cs");

        var result = Discover(tree);

        Assert.Equal(["app/Main.cs", "app/legacy.cs/Weird.cs"], Files(result));
        Assert.Equal(SkipReason.Ignored, SkippedAt(result, "legacy").Reason);
        Assert.Equal(SkipReason.UnsupportedLanguage, SkippedAt(result, "app/legacy").Reason);
    }

    [Fact]
    public void A_file_cannot_be_reincluded_when_its_folder_is_excluded()
    {
        using var tree = new TempTree()
            .File(".gitignore", "build/\n!build/Keep.cs\nout/**\n!out/Keep.cs\n")
            .File("build/Keep.cs")
            .File("out/Keep.cs")
            .File("out/Drop.cs");

        var result = Discover(tree);

        // "out/**" matches what is inside out/, not out/ itself, so the negation can reach out/Keep.cs.
        Assert.Equal(["out/Keep.cs"], Files(result));
        Assert.Equal(SkipReason.Ignored, SkippedAt(result, "build").Reason);
        Assert.Equal(SkipReason.Ignored, SkippedAt(result, "out/Drop.cs").Reason);
    }

    [Fact]
    public void Double_star_forms()
    {
        using var tree = new TempTree()
            .File(".gitignore", "**/generated/\ndocs/**\na/**/Temp.cs\n**/*.min.js\n")
            .File("generated/G.cs")
            .File("x/y/generated/G.cs")
            .File("docs/conf.py")
            .File("docs/deep/more.py")
            .File("a/Temp.cs")
            .File("a/b/c/Temp.cs")
            .File("b/a/Temp.cs")
            .File("web/lib.min.js")
            .File("web/lib.js");

        var result = Discover(tree);

        Assert.Equal(["b/a/Temp.cs", "web/lib.js"], Files(result));
        Assert.True(SkippedAt(result, "generated").IsDirectory);
        Assert.True(SkippedAt(result, "x/y/generated").IsDirectory);
        Assert.Equal(SkipReason.Ignored, SkippedAt(result, "docs/conf.py").Reason);
        Assert.Equal(SkipReason.Ignored, SkippedAt(result, "docs/deep").Reason);
        Assert.Equal(SkipReason.Ignored, SkippedAt(result, "a/Temp.cs").Reason);
        Assert.Equal(SkipReason.Ignored, SkippedAt(result, "a/b/c/Temp.cs").Reason);
        Assert.Equal(SkipReason.Ignored, SkippedAt(result, "web/lib.min.js").Reason);
    }

    [Fact]
    public void Escaped_hash_bang_and_trailing_space()
    {
        using var tree = new TempTree()
            .File(".gitignore", "\\#Hash.cs\n\\!Bang.cs\nSpace.txt\\ \nTrim.cs   \n# Comment.cs\n")
            .File("#Hash.cs")
            .File("!Bang.cs")
            .File("Space.txt ")
            .File("Trim.cs")
            .File("Comment.cs");

        var result = Discover(tree);

        Assert.Equal(["Comment.cs"], Files(result));
        Assert.Equal(SkipReason.Ignored, SkippedAt(result, "#Hash.cs").Reason);
        Assert.Equal(SkipReason.Ignored, SkippedAt(result, "!Bang.cs").Reason);
        Assert.Equal("matched 'Space.txt\\ ' in .gitignore line 3", SkippedAt(result, "Space.txt ").Detail);
        Assert.Equal(SkipReason.Ignored, SkippedAt(result, "Trim.cs").Reason);
    }

    [Fact]
    public void Project_ignore_file_in_root_and_subfolders_can_override_gitignore()
    {
        using var tree = new TempTree()
            .File(".gitignore", "gen/\n")
            .File(".structchunkignore", "!gen/\n*.Designer.cs\n")
            .File("gen/Api.cs")
            .File("Form.Designer.cs")
            .File("tests/.structchunkignore", "fixtures/\n")
            .File("tests/fixtures/Broken.cs")
            .File("tests/T.cs");

        var result = Discover(tree);

        Assert.Equal(["gen/Api.cs", "tests/T.cs"], Files(result));
        Assert.Equal("matched '*.Designer.cs' in .structchunkignore line 2", SkippedAt(result, "Form.Designer.cs").Detail);
        Assert.Equal("matched 'fixtures/' in tests/.structchunkignore line 1", SkippedAt(result, "tests/fixtures").Detail);
    }

    [Fact]
    public void Project_ignore_file_name_is_configurable_and_can_be_disabled()
    {
        using var tree = new TempTree()
            .File(".structchunkignore", "A.cs\n")
            .File("index.ignore", "B.cs\n")
            .File("A.cs")
            .File("B.cs");

        Assert.Equal(["A.cs"], Files(Discover(tree, new() { ProjectIgnoreFileName = "index.ignore" })));
        Assert.Equal(["A.cs", "B.cs"], Files(Discover(tree, new() { ProjectIgnoreFileName = null })));
    }

    [Fact]
    public void Gitignore_and_git_info_exclude_can_be_turned_off()
    {
        using var tree = new TempTree()
            .File(".git/info/exclude", "Excluded.cs\n")
            .File(".gitignore", "Ignored.cs\n")
            .File("Excluded.cs")
            .File("Ignored.cs")
            .File("Kept.cs");

        var respected = Discover(tree);
        Assert.Equal(["Kept.cs"], Files(respected));
        Assert.Equal("matched 'Excluded.cs' in .git/info/exclude line 1", SkippedAt(respected, "Excluded.cs").Detail);

        Assert.Equal(["Excluded.cs", "Ignored.cs", "Kept.cs"], Files(Discover(tree, new() { RespectGitIgnore = false })));
    }

    [Fact]
    public void Gitignore_in_a_subfolder_outranks_git_info_exclude()
    {
        using var tree = new TempTree()
            .File(".git/info/exclude", "*.cs\n")
            .File("src/.gitignore", "!*.cs\n")
            .File("Root.cs")
            .File("src/Kept.cs");

        Assert.Equal(["src/Kept.cs"], Files(Discover(tree)));
    }

    [Fact]
    public void Hidden_files_and_folders_are_skipped_unless_included_but_git_metadata_never_is()
    {
        using var tree = new TempTree()
            .File(".hidden/Secret.cs")
            .File(".config.js")
            .File(".git/hooks/pre-commit.py")
            .File("Visible.cs");

        var result = Discover(tree);
        Assert.Equal(["Visible.cs"], Files(result));
        Assert.Equal(SkipReason.Hidden, SkippedAt(result, ".hidden").Reason);
        Assert.True(SkippedAt(result, ".hidden").IsDirectory);
        Assert.Equal(SkipReason.Hidden, SkippedAt(result, ".config.js").Reason);
        Assert.Equal(SkipReason.Hidden, SkippedAt(result, ".git").Reason);

        var withHidden = Discover(tree, new() { IncludeHidden = true });
        Assert.Equal([".config.js", ".hidden/Secret.cs", "Visible.cs"], Files(withHidden));
        Assert.Equal(SkipReason.ExcludedDirectory, SkippedAt(withHidden, ".git").Reason);
    }

    [Fact]
    public void Default_excluded_folders_are_reported_once_and_not_entered()
    {
        using var tree = new TempTree()
            .File("node_modules/pkg/index.js")
            .File("node_modules/pkg/lib/deep.js")
            .File("src/bin/Debug/Gen.cs")
            .File("src/App.cs")
            .File("src/Bin/Upper.cs");

        var result = Discover(tree);

        Assert.Equal(["src/App.cs", "src/Bin/Upper.cs"], Files(result));
        var nodeModules = SkippedAt(result, "node_modules");
        Assert.Equal(SkipReason.ExcludedDirectory, nodeModules.Reason);
        Assert.True(nodeModules.IsDirectory);
        Assert.Equal("'node_modules' is an excluded folder name", nodeModules.Detail);
        Assert.Equal(SkipReason.ExcludedDirectory, SkippedAt(result, "src/bin").Reason);
        Assert.Equal(2, result.Skipped.Length);
    }

    [Fact]
    public void Excluded_folder_names_are_configurable_with_their_own_comparer()
    {
        using var tree = new TempTree()
            .File("Generated/G.cs")
            .File("node_modules/m.js");

        var options = new SourceDiscoveryOptions
        {
            ExcludedDirectoryNames = new HashSet<string>(["generated"], StringComparer.OrdinalIgnoreCase),
        };

        Assert.Equal(["node_modules/m.js"], Files(Discover(tree, options)));
    }

    [Fact]
    public void The_root_is_walked_even_when_its_name_is_excluded_or_hidden()
    {
        using var tree = new TempTree()
            .File("bin/Tool.cs")
            .File(".tools/Script.py");

        Assert.Equal(["Tool.cs"], Files(SourceDiscovery.Discover(tree.FullPath("bin"))));
        Assert.Equal(["Script.py"], Files(SourceDiscovery.Discover(tree.FullPath(".tools"))));
    }

    [Fact]
    public void Binary_oversize_and_invalid_utf8_files_are_skipped_with_reasons()
    {
        using var tree = new TempTree()
            .Bytes("Binary.cs", [0x4D, 0x5A, 0x90, 0x00, 0x03])
            .Bytes("Big.cs", Encoding.UTF8.GetBytes(new string('x', 2000)))
            .Bytes("Latin1.cs", [0x2F, 0x2F, 0x20, 0x63, 0x61, 0x66, 0xE9, 0x0A])
            .File("Fine.cs", "// café\n");

        var result = Discover(tree, new() { MaxFileBytes = 1024 });

        Assert.Equal(["Fine.cs"], Files(result));
        Assert.Equal(new SkippedPath("Binary.cs", SkipReason.Binary, "NUL byte at offset 3", false), SkippedAt(result, "Binary.cs"));
        Assert.Equal(new SkippedPath("Big.cs", SkipReason.TooLarge, "2 KiB (2000 bytes) exceeds the limit of 1 KiB", false), SkippedAt(result, "Big.cs"));
        Assert.Equal(new SkippedPath("Latin1.cs", SkipReason.NotUtf8, "invalid UTF-8 at byte offset 6", false), SkippedAt(result, "Latin1.cs"));
    }

    [Fact]
    public void Default_size_limit_is_two_mebibytes()
    {
        using var tree = new TempTree()
            .Bytes("AtLimit.cs", Lines(2 * 1024 * 1024))
            .Bytes("OverLimit.cs", Lines((2 * 1024 * 1024) + 1));

        var result = Discover(tree);

        Assert.Equal(["AtLimit.cs"], Files(result));
        Assert.Equal(SkipReason.TooLarge, SkippedAt(result, "OverLimit.cs").Reason);
    }

    // Ordinary lines: one 2 MiB line would be skipped as minified before the size rule is reached.
    private static byte[] Lines(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = i % 80 == 79 ? (byte)'\n' : (byte)'a';
        }

        return bytes;
    }

    [Fact]
    public void Minified_one_line_code_is_skipped_as_pathological()
    {
        using var tree = new TempTree()
            .Bytes("app.min.js", Encoding.UTF8.GetBytes("var a=1;" + new string('x', 30_000)))
            .Bytes("dense.js", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(new string('y', 3_000) + "\n", 10))))
            .File("ok.js", "function ok() {\n  return 1;\n}\n");

        var result = Discover(tree);

        Assert.Equal(["ok.js"], Files(result));
        Assert.Equal(SkipReason.Pathological, SkippedAt(result, "app.min.js").Reason);
        Assert.Contains("minified", SkippedAt(result, "dense.js").Detail, StringComparison.Ordinal);
        Assert.Equal(["app.min.js", "ok.js"], Files(SourceDiscovery.Discover(tree.Root, new SourceDiscoveryOptions { MaxLineBytes = 0 })).Where(f => f != "dense.js"));
    }

    [Fact]
    public void Nul_byte_after_the_first_8_KiB_does_not_make_a_file_binary()
    {
        var bytes = Encoding.UTF8.GetBytes(new string('a', 9000));
        bytes[8500] = 0;
        using var tree = new TempTree().Bytes("Late.cs", bytes);

        Assert.Equal(["Late.cs"], Files(Discover(tree)));
    }

    [Fact]
    public void Byte_order_marks_are_accepted_and_decoded()
    {
        const string Text = "class Café { } // ✓ 😀\n";
        using var tree = new TempTree()
            .Bytes("Utf8Bom.cs", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(Text)])
            .Bytes("Utf16Le.cs", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Text)])
            .Bytes("Utf16Be.cs", [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(Text)])
            .File("Plain.cs", Text);

        var result = Discover(tree);

        Assert.Equal(["Plain.cs", "Utf16Be.cs", "Utf16Le.cs", "Utf8Bom.cs"], Files(result));
        Assert.Equal(
            [SourceEncoding.Utf8, SourceEncoding.Utf16BigEndian, SourceEncoding.Utf16LittleEndian, SourceEncoding.Utf8WithBom],
            result.Files.Select(f => f.Encoding));
        var utf8 = Encoding.UTF8.GetBytes(Text);
        foreach (var file in result.Files)
        {
            Assert.Equal(Text, file.ReadText());
            Assert.Equal(utf8, file.ReadUtf8Bytes());
        }
    }

    [Fact]
    public void Invalid_utf16_and_utf32_are_not_accepted()
    {
        using var tree = new TempTree()
            .Bytes("Odd.cs", [0xFF, 0xFE, 0x41, 0x00, 0x42])
            .Bytes("Lone.cs", [0xFF, 0xFE, 0x41, 0x00, 0x00, 0xD8, 0x42, 0x00])
            .Bytes("Nul16.cs", [0xFF, 0xFE, 0x41, 0x00, 0x00, 0x00])
            .Bytes("Utf32.cs", [0xFF, 0xFE, 0x00, 0x00, 0x41, 0x00, 0x00, 0x00]);

        var result = Discover(tree);

        Assert.Empty(result.Files);
        Assert.Equal(SkipReason.NotUtf8, SkippedAt(result, "Odd.cs").Reason);
        Assert.Equal(SkipReason.NotUtf8, SkippedAt(result, "Lone.cs").Reason);
        Assert.Equal(SkipReason.Binary, SkippedAt(result, "Nul16.cs").Reason);
        Assert.Equal(SkipReason.NotUtf8, SkippedAt(result, "Utf32.cs").Reason);
    }

    [Fact]
    public void Read_throws_invalid_data_when_a_file_became_invalid_after_discovery()
    {
        using var tree = new TempTree().File("A.cs", "ok\n");
        var file = Assert.Single(Discover(tree).Files);
        tree.Bytes("A.cs", [0xC3, 0x28]);

        Assert.Throws<InvalidDataException>(file.ReadText);
        Assert.Throws<InvalidDataException>(() => file.ReadUtf8Bytes());
    }

    [Fact]
    public void Order_is_ordinal_by_relative_path_and_stable_across_runs()
    {
        using var tree = new TempTree();
        string[] names = ["b/z.cs", "B.cs", "a.cs", "a/b.cs", "a-b.cs", "_x.cs", "Z/a.cs", "a/B.cs", "ä.cs"];
        foreach (var name in names.Reverse())
        {
            tree.File(name);
        }

        var first = Files(Discover(tree));
        var second = Files(Discover(tree));

        Assert.Equal(names.Order(StringComparer.Ordinal), first);
        Assert.Equal(first, second);
        Assert.Equal(["B.cs", "Z/a.cs", "_x.cs", "a-b.cs", "a.cs", "a/B.cs", "a/b.cs", "b/z.cs", "ä.cs"], first);
    }

    [Fact]
    public void Language_filter_keeps_selected_languages_only()
    {
        using var tree = new TempTree()
            .File("A.cs")
            .File("b.py")
            .File("c.txt");

        var result = Discover(tree, new() { Languages = new HashSet<string> { LanguageIds.CSharp } });

        Assert.Equal(["A.cs"], Files(result));
        Assert.Equal(new SkippedPath("b.py", SkipReason.LanguageNotSelected, "language 'python' is not selected", false), SkippedAt(result, "b.py"));
        Assert.Equal(SkipReason.UnsupportedLanguage, SkippedAt(result, "c.txt").Reason);
    }

    [Fact]
    public void Symbolic_links_are_not_followed()
    {
        using var tree = new TempTree()
            .File("real/A.cs")
            .File("Target.cs");
        try
        {
            Directory.CreateSymbolicLink(tree.FullPath("real/loop"), tree.Root);
            File.CreateSymbolicLink(tree.FullPath("Link.cs"), tree.FullPath("Target.cs"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            return; // Creating links needs a privilege on some Windows machines; nothing to check there.
        }

        var result = Discover(tree);

        Assert.Equal(["Target.cs", "real/A.cs"], Files(result));
        var loop = SkippedAt(result, "real/loop");
        Assert.Equal(SkipReason.SymbolicLink, loop.Reason);
        Assert.True(loop.IsDirectory);
        Assert.Equal(SkipReason.SymbolicLink, SkippedAt(result, "Link.cs").Reason);
    }

    [Fact]
    public async Task Unreadable_file_is_reported_not_thrown()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix permissions only.
        }

        using var tree = new TempTree().File("Locked.cs").File("Open.cs");
        File.SetUnixFileMode(tree.FullPath("Locked.cs"), UnixFileMode.None);
        if (!RunsAsRoot())
        {
            var result = Discover(tree);
            Assert.Equal(["Open.cs"], Files(result));
            Assert.Equal(SkipReason.Unreadable, SkippedAt(result, "Locked.cs").Reason);
            return;
        }

        // Root reads any file, so the check runs where permissions apply: the CLI in a child process as 'nobody'.
        File.SetUnixFileMode(tree.Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var (exitCode, output, error) = await RunAsNobody("graph", tree.Root);
        Assert.True(exitCode == 0, error);
        Assert.Contains("skipped 1: 1 Unreadable", error, StringComparison.Ordinal);
        Assert.Contains("Locked.cs", error, StringComparison.Ordinal);
        Assert.Contains("symbols:", output, StringComparison.Ordinal);
    }

    private static bool RunsAsRoot() => Environment.UserName == "root";

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static bool WorldCanRead(string folder)
    {
        for (var current = new DirectoryInfo(folder); current is not null; current = current.Parent)
        {
            if ((current.UnixFileMode & UnixFileMode.OtherExecute) == 0)
            {
                return false;
            }
        }

        return true;
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static async Task<(int ExitCode, string Output, string Error)> RunAsNobody(params string[] cliArgs)
    {
        // 'nobody' must be able to reach the CLI; when the build output sits under a folder only root may enter, the
        // assemblies the CLI needs are copied to a world-readable folder first.
        using var copy = new TempTree();
        var folder = AppContext.BaseDirectory;
        if (!WorldCanRead(folder))
        {
            foreach (var file in Directory.EnumerateFiles(folder).Where(f => f.EndsWith(".dll", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal)))
            {
                File.Copy(file, Path.Combine(copy.Root, Path.GetFileName(file)));
            }

            folder = copy.Root;
            File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
        }

        var cli = Path.Combine(folder, "structchunk.dll");
        var start = new System.Diagnostics.ProcessStartInfo("setpriv")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--", "dotnet", cli }.Concat(cliArgs))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["HOME"] = Path.GetTempPath();
        start.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    [Fact]
    public void Missing_root_throws_directory_not_found_naming_it()
    {
        using var tree = new TempTree().File("file.cs");
        var missing = tree.FullPath("nope");

        var ex = Assert.Throws<DirectoryNotFoundException>(() => SourceDiscovery.Discover(missing));
        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);

        var fileRoot = Assert.Throws<DirectoryNotFoundException>(() => SourceDiscovery.Discover(tree.FullPath("file.cs")));
        Assert.Contains("is a file", fileRoot.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_options_list_every_problem_at_once()
    {
        using var tree = new TempTree();
        var options = new SourceDiscoveryOptions
        {
            MaxFileBytes = 0,
            ProjectIgnoreFileName = "sub/.ignore",
            ExcludedDirectoryNames = new HashSet<string> { "ok", "" },
            Languages = new HashSet<string> { "csharp", "cobol" },
        };

        var ex = Assert.Throws<ArgumentException>(() => SourceDiscovery.Discover(tree.Root, options));

        Assert.Equal("options", ex.ParamName);
        Assert.Contains("4 problems", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MaxFileBytes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'sub/.ignore'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ExcludedDirectoryNames", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'cobol'", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("Languages is empty", Assert.Throws<ArgumentException>(new SourceDiscoveryOptions { Languages = new HashSet<string>() }.Validate).Message, StringComparison.Ordinal);
        SourceDiscoveryOptions.Default.Validate();
    }

    [Fact]
    public void Summary_and_counts_by_reason()
    {
        using var tree = new TempTree()
            .File(".gitignore", "*.tmp.cs\n")
            .File("A.cs")
            .File("B.tmp.cs")
            .File("C.tmp.cs")
            .Bytes("D.cs", [0])
            .File("node_modules/x.js");

        var result = Discover(tree);

        Assert.Equal(
            new Dictionary<SkipReason, int> { [SkipReason.Ignored] = 2, [SkipReason.Hidden] = 1, [SkipReason.ExcludedDirectory] = 1, [SkipReason.Binary] = 1 },
            result.SkippedByReason());
        Assert.Equal("1 source file; skipped 5 (2 ignored, 1 hidden, 1 excluded folder, 1 binary)", result.Summary);

        using var empty = new TempTree().File("X.cs").File("Y.cs");
        Assert.Equal("2 source files; nothing skipped", Discover(empty).Summary);
    }

    [Fact]
    public void Cancellation_stops_the_walk()
    {
        using var tree = new TempTree().File("A.cs");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => SourceDiscovery.Discover(tree.Root, cancellationToken: cancelled.Token));
    }
}
