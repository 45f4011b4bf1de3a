using System.Text.RegularExpressions;
using GlcmMae.Trainer.Cli;

namespace GlcmMae.Trainer.Tests.Cli;

public sealed partial class HelpExamplesTests
{
    [Theory]
    [InlineData("quickstart")]
    [InlineData("pretrain")]
    [InlineData("finetune")]
    [InlineData("serve")]
    [InlineData("retrain")]
    [InlineData("deid")]
    public async Task The_main_commands_help_ends_with_their_examples(string command)
    {
        var (exitCode, output, _) = await CliInvoker.InvokeAsync(command, "--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        var examples = output[output.IndexOf("Examples:", StringComparison.Ordinal)..];
        Assert.All(HelpExamples.Examples[command], example => Assert.Contains(example, examples, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_example_parses_as_written()
    {
        var root = GlcmMaeCommandLine.Create();
        var problems = new List<string>();
        foreach (var example in HelpExamples.Examples.Values.SelectMany(e => e))
        {
            // Drop the shell around the command: variables set before it, and a pipe or redirection after it.
            var command = example[(example.IndexOf("glcmmae ", StringComparison.Ordinal) + "glcmmae ".Length)..].Split([" |", " >"], StringSplitOptions.None)[0];
            var words = Word().Matches(command).Select(m => m.Value.Trim('"')).ToArray();
            // The user's files (scan.dcm) need not exist here; everything else must parse.
            var errors = root.Parse(words).Errors.Where(e => !e.Message.StartsWith("File does not exist", StringComparison.Ordinal)).ToList();
            if (errors.Count > 0)
            {
                problems.Add($"{example}: {string.Join("; ", errors.Select(e => e.Message))}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [GeneratedRegex("\"[^\"]*\"|\\S+")]
    private static partial Regex Word();
}
