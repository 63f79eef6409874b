using StructuralChunking.Discovery;

namespace StructuralChunking.Tests.Discovery;

public sealed class SourceFileSetTests
{
    [Fact]
    public void Listed_files_are_admitted_only_when_the_walk_accepted_them()
    {
        using var tree = new TempTree()
            .File("src/Good.cs", "class Good { }")
            .File("src/gen/Skip.cs", "class Skip { }")
            .File(".gitignore", "gen/\n")
            .Bytes("src/Latin.cs", [0x63, 0x6C, 0x61, 0x73, 0x73, 0x20, 0xE9]);
        var set = new SourceFileSet(SourceDiscovery.Discover(tree.Root));

        Assert.Equal("src/Good.cs", set.Admit(tree.FullPath("src/Good.cs"), out var none)!.RelativePath);
        Assert.Null(none);

        Assert.Null(set.Admit(tree.FullPath("src/gen/Skip.cs"), out var ignored));
        Assert.Equal(SkipReason.Ignored, ignored!.Reason);
        Assert.Equal("src/gen/Skip.cs", ignored.RelativePath);

        Assert.Null(set.Admit(tree.FullPath("src/Latin.cs"), out var latin));
        Assert.Equal(SkipReason.NotUtf8, latin!.Reason);

        Assert.Null(set.Admit(Path.Combine(Path.GetTempPath(), "elsewhere", "Outside.cs"), out var outside));
        Assert.Equal(SkipReason.OutsideRoot, outside!.Reason);

        Assert.Null(set.Admit(tree.FullPath("src/Missing.cs"), out var missing));
        Assert.Equal(SkipReason.Unreadable, missing!.Reason);
    }
}
