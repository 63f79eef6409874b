using System.Collections.Immutable;
using System.Diagnostics;

namespace StructuralChunking.Indexing;

/// <summary>
/// Passes progress on and times the stages: a stage lasts from its first report to the next stage's first report (or
/// the end of the run), so every moment of a run is charged to exactly one stage.
/// </summary>
internal sealed class IndexingStageClock(IProgress<IndexingProgress>? inner) : IProgress<IndexingProgress>
{
    private readonly Stopwatch _stopwatch = Stopwatch.StartNew();
    private readonly Dictionary<IndexingStage, TimeSpan> _times = [];
    private IndexingStage? _current;
    private TimeSpan _currentStart;

    public void Report(IndexingProgress value)
    {
        lock (_times)
        {
            if (_current != value.Stage)
            {
                Close();
                _current = value.Stage;
                _currentStart = _stopwatch.Elapsed;
            }
        }

        inner?.Report(value);
    }

    /// <summary>Ends the current stage and returns the time of each stage seen, in stage order.</summary>
    public ImmutableArray<IndexingStageTime> Finish()
    {
        lock (_times)
        {
            Close();
            _current = null;
            return [.. _times.OrderBy(t => t.Key).Select(t => new IndexingStageTime(t.Key, t.Value))];
        }
    }

    private void Close()
    {
        if (_current is { } stage)
        {
            _times[stage] = _times.GetValueOrDefault(stage) + (_stopwatch.Elapsed - _currentStart);
        }
    }
}
