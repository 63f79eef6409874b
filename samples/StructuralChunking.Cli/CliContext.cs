using System.CommandLine;

namespace StructuralChunking.Cli;

/// <summary>Where commands write, and the one place that turns failures into exit codes and messages.</summary>
internal sealed class CliContext(TextWriter output, TextWriter error)
{
    public const int Success = 0;
    public const int UserError = 1;
    public const int InternalError = 70;

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>
    /// Wraps a command body: user errors become a one-line message on stderr and exit code 1; anything else is a bug
    /// and is reported with its type so it can be filed, still without a stack trace unless asked for.
    /// </summary>
    public Func<ParseResult, CancellationToken, Task<int>> Guard(Func<ParseResult, CancellationToken, Task<int>> body) =>
        async (parseResult, cancellationToken) =>
        {
            try
            {
                return await body(parseResult, cancellationToken).ConfigureAwait(false);
            }
            catch (CliUserException ex)
            {
                await Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return UserError;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await Error.WriteLineAsync("cancelled").ConfigureAwait(false);
                return UserError;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                await Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return UserError;
            }
            catch (Exception ex)
            {
                await Error.WriteLineAsync($"internal error ({ex.GetType().Name}): {ex.Message}").ConfigureAwait(false);
                if (Environment.GetEnvironmentVariable("STRUCTCHUNK_DEBUG") is "1" or "true")
                {
                    await Error.WriteLineAsync(ex.ToString()).ConfigureAwait(false);
                }

                return InternalError;
            }
        };
}

/// <summary>A failure the user can fix (a wrong path, a missing index); reported as a message, never as a stack trace.</summary>
internal sealed class CliUserException(string message) : Exception(message);
