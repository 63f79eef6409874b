using StructuralChunking.Chunking;

namespace StructuralChunking.Tests.Chunking;

public sealed class ContentHashTests
{
    [Fact]
    public void Parts_are_delimited_and_null_differs_from_empty()
    {
        Assert.NotEqual(ContentHash.Of("ab", "c"), ContentHash.Of("a", "bc"));
        Assert.NotEqual(ContentHash.Of("a", null), ContentHash.Of("a", ""));
        Assert.Equal(ContentHash.Of("a", "b"), ContentHash.Of("a", "b"));
    }

    [Fact]
    public void Hash_of_bytes_is_sha256_hex()
    {
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ContentHash.Of("abc"u8));
    }
}
