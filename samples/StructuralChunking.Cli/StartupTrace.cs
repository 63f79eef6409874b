using System.Diagnostics;
using System.Globalization;

namespace StructuralChunking.Cli;

/// <summary>
/// Phase timestamps of one run on stderr when <c>STRUCTCHUNK_TIMING=1</c>: where a cold start spends its time (runtime
/// start, index load, model load, search, output), measured in the process itself rather than guessed.
/// </summary>
internal static class StartupTrace
{
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("STRUCTCHUNK_TIMING") is "1" or "true";
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    /// <summary>Writes the time since the process started (wall) and the process's CPU time so far, with <paramref name="phase"/>.</summary>
    public static void Mark(string phase)
    {
        if (!Enabled)
        {
            return;
        }

        using var process = Process.GetCurrentProcess();
        var sinceStart = DateTime.Now - process.StartTime;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"timing: {sinceStart.TotalMilliseconds,7:F0} ms since start, {process.TotalProcessorTime.TotalMilliseconds,7:F0} ms CPU, {process.WorkingSet64 / (1024 * 1024),4} MB, JIT {System.Runtime.JitInfo.GetCompiledMethodCount(),5} methods {System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds,5:F0} ms  {phase}"));
    }
}
