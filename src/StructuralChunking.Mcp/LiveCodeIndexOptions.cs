namespace StructuralChunking.Mcp;

/// <summary>How <see cref="LiveCodeIndex.Watch"/> keeps a folder's index fresh.</summary>
public sealed class LiveCodeIndexOptions
{
    /// <summary>The index file; <c>null</c> for the folder's default index (<c>.structchunk/index.scidx</c>).</summary>
    public string? IndexPath { get; init; }

    /// <summary>How long the folder must be quiet after a change before it is re-indexed. Default 500 ms.</summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Watch the folder for changes. Default <c>true</c>; without it only <see cref="LiveCodeIndex.RequestReindex"/> re-indexes.</summary>
    public bool WatchFiles { get; init; } = true;

    /// <summary>Receives one line per notable event (an index swapped in, a failed run); <c>null</c> for silence. Never stdout for a stdio server.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public void Validate()
    {
        if (Debounce < TimeSpan.Zero || Debounce > TimeSpan.FromMinutes(10))
        {
            throw new ArgumentException($"{nameof(Debounce)} must be between 0 and 10 minutes (was {Debounce}).");
        }
    }
}
