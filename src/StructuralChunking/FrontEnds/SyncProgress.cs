namespace StructuralChunking.FrontEnds;

/// <summary>
/// Forwards reports on the reporting thread, in order; <see cref="Progress{T}"/> would post them to the thread pool,
/// where they can arrive late and out of order.
/// </summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
