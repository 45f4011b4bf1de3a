using System.CommandLine;
using GlcmMae.Trainer.Cli;

namespace GlcmMae.Trainer.Tests.Cli;

/// <summary>Runs the real glcmmae command line in-process and captures what it prints.</summary>
internal static class CliInvoker
{
    public static Task<(int ExitCode, string Output, string Error)> InvokeAsync(params string[] args) => InvokeAsync(CancellationToken.None, args);

    /// <summary>As <see cref="InvokeAsync(string[])"/>, stopped by <paramref name="cancellationToken"/> as Ctrl+C or a job's SIGTERM would stop it.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> InvokeAsync(CancellationToken cancellationToken, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        var exitCode = await GlcmMaeCommandLine.Create().Parse(args).InvokeAsync(configuration, cancellationToken);
        return (exitCode, output.ToString(), error.ToString());
    }
}
