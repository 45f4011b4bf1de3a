using System.CommandLine;
using GlcmMae.Shared;

namespace GlcmMae.Trainer.Cli;

/// <summary>Runs a command's action and reports bad input (missing files, invalid data or settings) as one error line with exit code 2.</summary>
internal static class UserErrors
{
    /// <summary>Wraps an action; unexpected exceptions still propagate with their stack trace.</summary>
    public static Func<ParseResult, CancellationToken, Task<int>> Handle(Func<ParseResult, CancellationToken, Task<int>> action) =>
        async (parseResult, cancellationToken) =>
        {
            try
            {
                return await action(parseResult, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is GlcmMaeException or ArgumentException or FileNotFoundException or InvalidDataException or DirectoryNotFoundException)
            {
                // The message says what to change; a stack trace would not help.
                var code = exception is GlcmMaeException typed ? typed.ErrorCode + ": " : string.Empty;
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"error: {code}{exception.Message}").ConfigureAwait(false);
                return 2;
            }
        };
}
