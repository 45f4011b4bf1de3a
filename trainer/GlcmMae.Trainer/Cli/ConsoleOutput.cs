using System.CommandLine;
using Spectre.Console;

namespace GlcmMae.Trainer.Cli;

/// <summary>Creates the Spectre console that writes to the invocation's output (so tests can capture it).</summary>
internal static class ConsoleOutput
{
    public static IAnsiConsole Create(ParseResult parseResult) => Create(parseResult.InvocationConfiguration.Output);

    public static IAnsiConsole Create(TextWriter writer) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(writer),
        Ansi = writer == Console.Out ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = writer == Console.Out ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = writer == Console.Out ? InteractionSupport.Detect : InteractionSupport.No,
    });
}
