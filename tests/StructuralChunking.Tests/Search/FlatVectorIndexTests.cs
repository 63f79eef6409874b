using System.Numerics.Tensors;
using StructuralChunking.Search;

namespace StructuralChunking.Tests.Search;

public sealed class FlatVectorIndexTests
{
    private static float[][] RandomVectors(int count, int dimensions, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, dimensions).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray()).ToArray();
    }

    private static List<int> BruteForce(float[][] vectors, float[] query, int k)
    {
        return vectors.Select((v, i) => (i, score: TensorPrimitives.CosineSimilarity(v, query)))
            .OrderByDescending(p => p.score).ThenBy(p => p.i).Take(k).Select(p => p.i).ToList();
    }

    [Fact]
    public void Exact_top_k_matches_brute_force_in_order()
    {
        var vectors = RandomVectors(500, 48, 1);
        var index = new FlatVectorIndex(48);
        foreach (var v in vectors)
        {
            index.Add(v);
        }

        foreach (var query in RandomVectors(10, 48, 2))
        {
            var results = index.Search(query, 10);
            Assert.Equal(BruteForce(vectors, query, 10), results.Select(r => r.Ordinal));
            Assert.All(results, r => Assert.InRange(r.Score, -1.0001f, 1.0001f));
        }
    }

    [Fact]
    public void Ties_break_by_lower_ordinal_and_min_score_can_return_nothing()
    {
        var index = new FlatVectorIndex(3);
        index.Add([1, 0, 0]);
        index.Add([0, 1, 0]);
        index.Add([2, 0, 0]);
        index.Add([1, 0, 0]);

        Assert.Equal([0, 2, 3], index.Search([1, 0, 0], 3).Select(r => r.Ordinal));
        Assert.Empty(index.Search([0, 0, 1], 3, minScore: 0.5f));
        Assert.Equal([2, 3], index.Search([1, 0, 0], 3, filter: i => i >= 2).Select(r => r.Ordinal));
        Assert.Empty(new FlatVectorIndex(3).Search([1, 0, 0], 3));
    }

    [Fact]
    public void Bad_vectors_are_rejected()
    {
        var index = new FlatVectorIndex(3);
        Assert.Throws<ArgumentException>(() => index.Add([1, 2]));
        Assert.Throws<ArgumentException>(() => index.Add([float.NaN, 0, 0]));
        Assert.Throws<ArgumentException>(() => index.Search([1, 0], 1));
    }

    [Fact]
    public void Int8_scan_with_exact_rescoring_keeps_recall()
    {
        var vectors = RandomVectors(2000, 64, 3);
        var index = new FlatVectorIndex(64);
        foreach (var v in vectors)
        {
            index.Add(v);
        }

        index.EnableQuantization();
        var hits = 0;
        var total = 0;
        foreach (var query in RandomVectors(30, 64, 4))
        {
            var expected = BruteForce(vectors, query, 10).ToHashSet();
            var actual = index.Search(query, 10);
            hits += actual.Count(r => expected.Contains(r.Ordinal));
            total += 10;
            // Scores after re-scoring are exact float32 cosines.
            Assert.All(actual, r => Assert.Equal(TensorPrimitives.CosineSimilarity(vectors[r.Ordinal], query), r.Score, 4));
        }

        Assert.True(hits >= total * 0.99, $"recall@10 {hits}/{total}");
    }

    [Fact]
    public void Int8_dot_product_is_exact_for_every_length()
    {
        var random = new Random(5);
        for (var length = 0; length <= 256; length++)
        {
            var a = new sbyte[length];
            var b = new sbyte[length];
            for (var i = 0; i < length; i++)
            {
                a[i] = (sbyte)random.Next(-127, 128);
                b[i] = (sbyte)random.Next(-127, 128);
            }

            var expected = 0;
            for (var i = 0; i < length; i++)
            {
                expected += a[i] * b[i];
            }

            Assert.Equal(expected, FlatVectorIndex.DotInt8(Array.ConvertAll(a, value => (short)value), b));
        }
    }

    [Fact]
    public void Parallel_scan_of_a_large_index_matches_brute_force()
    {
        var vectors = RandomVectors(6000, 384, 6);
        var index = new FlatVectorIndex(384, vectors.Length);
        foreach (var v in vectors)
        {
            index.Add(v);
        }

        Assert.True((long)index.Count * index.Dimensions >= FlatVectorIndex.ParallelThresholdFloats);
        var query = RandomVectors(1, 384, 7)[0];
        Assert.Equal(BruteForce(vectors, query, 10), index.Search(query, 10).Select(r => r.Ordinal));
    }
}
