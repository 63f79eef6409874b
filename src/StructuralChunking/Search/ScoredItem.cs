namespace StructuralChunking.Search;

/// <summary>An item of an index (by ordinal) with its score.</summary>
/// <param name="Ordinal">Position of the item in its index.</param>
/// <param name="Score">Similarity or relevance; higher is better.</param>
public readonly record struct ScoredItem(int Ordinal, float Score);

/// <summary>
/// Keeps the best <c>k</c> items seen, with a deterministic tie-break: at equal scores the lower ordinal wins, and
/// indexes store chunks in id order, so ties break by chunk id.
/// </summary>
internal sealed class TopK
{
    private readonly ScoredItem[] _heap;
    private int _count;

    public TopK(int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        _heap = new ScoredItem[k];
    }

    public int Count => _count;

    public bool IsFull => _count == _heap.Length;

    /// <summary>The score an item must beat to enter once the heap is full.</summary>
    public float Threshold => _count == _heap.Length ? _heap[0].Score : float.NegativeInfinity;

    public void Add(int ordinal, float score)
    {
        var item = new ScoredItem(ordinal, score);
        if (_count < _heap.Length)
        {
            _heap[_count] = item;
            SiftUp(_count++);
            return;
        }

        if (Worse(_heap[0], item))
        {
            _heap[0] = item;
            SiftDown(0);
        }
    }

    public void AddRange(TopK other)
    {
        for (var i = 0; i < other._count; i++)
        {
            Add(other._heap[i].Ordinal, other._heap[i].Score);
        }
    }

    /// <summary>The kept items, best first.</summary>
    public List<ScoredItem> ToSortedList()
    {
        var list = new List<ScoredItem>(_count);
        for (var i = 0; i < _count; i++)
        {
            list.Add(_heap[i]);
        }

        list.Sort(static (a, b) => Worse(a, b) ? 1 : Worse(b, a) ? -1 : 0);
        return list;
    }

    /// <summary>True when <paramref name="a"/> ranks below <paramref name="b"/>.</summary>
    private static bool Worse(ScoredItem a, ScoredItem b) => a.Score < b.Score || (a.Score == b.Score && a.Ordinal > b.Ordinal);

    private void SiftUp(int index)
    {
        while (index > 0)
        {
            var parent = (index - 1) / 2;
            if (!Worse(_heap[index], _heap[parent]))
            {
                break;
            }

            (_heap[index], _heap[parent]) = (_heap[parent], _heap[index]);
            index = parent;
        }
    }

    private void SiftDown(int index)
    {
        while (true)
        {
            var left = (2 * index) + 1;
            if (left >= _count)
            {
                return;
            }

            var smallest = left + 1 < _count && Worse(_heap[left + 1], _heap[left]) ? left + 1 : left;
            if (!Worse(_heap[smallest], _heap[index]))
            {
                return;
            }

            (_heap[index], _heap[smallest]) = (_heap[smallest], _heap[index]);
            index = smallest;
        }
    }
}
