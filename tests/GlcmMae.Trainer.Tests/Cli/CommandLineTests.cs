using System.Text.Json;
using GlcmMae.Trainer.Cli;

namespace GlcmMae.Trainer.Tests.Cli;

[Collection(TorchCollection.Name)]
public sealed class CommandLineTests
{
    [Fact]
    public async Task Version_shows_libtorch_and_onnx_runtime_and_succeeds()
    {
        var (exitCode, output) = await InvokeAsync("--version");

        Assert.Equal(0, exitCode);
        Assert.Contains("libtorch", output, StringComparison.Ordinal);
        Assert.Contains("2.10.0", output, StringComparison.Ordinal);
        Assert.Contains("ONNX Runtime", output, StringComparison.Ordinal);
        Assert.Contains("1.31", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quickstart_json_reports_a_passing_runtime_check()
    {
        using var folder = new GlcmMae.Testing.TempFolder();
        var (exitCode, output) = await InvokeAsync("quickstart", "--json", "--threads", "1", "--root", folder.Path);

        Assert.Equal(0, exitCode);
        using var report = JsonDocument.Parse(output);
        Assert.True(report.RootElement.GetProperty("runtimeCheck").GetProperty("passed").GetBoolean());
        var imaging = report.RootElement.GetProperty("imaging").EnumerateArray().ToArray();
        Assert.Equal(2, imaging.Length);
        Assert.All(imaging, scan =>
        {
            Assert.Equal("1x224x224", scan.GetProperty("tensor").GetString());
            Assert.True(File.Exists(scan.GetProperty("rendered").GetString()));
        });
    }

    [Fact]
    public async Task Threads_below_one_is_rejected_with_a_message()
    {
        var (exitCode, output) = await InvokeAsync("quickstart", "--threads", "0");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--threads must be at least 1", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_decode_reports_every_syntax_and_stage()
    {
        var (exitCode, output) = await InvokeAsync("bench", "decode", "--seconds", "0.01", "--json");

        Assert.Equal(0, exitCode);
        using var report = JsonDocument.Parse(output);
        var rows = report.RootElement.EnumerateArray().ToArray();
        // Built-in syntaxes always; compressed ones too when dcmtk/gdcm (installed by build/setup.sh) can make them.
        Assert.True(rows.Length >= 20, $"{rows.Length} rows");
        Assert.All(rows, row => Assert.True(row.GetProperty("millisecondsPerFile").GetDouble() > 0));
        var syntaxes = rows.Select(row => row.GetProperty("transferSyntax").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "Explicit VR Little Endian", "Implicit VR Little Endian", "Deflated Explicit VR Little Endian", "RLE Lossless" }, syntaxes);
    }

    [Fact]
    public void Only_built_commands_are_listed()
    {
        var names = GlcmMaeCommandLine.Create().Subcommands.Select(c => c.Name).ToArray();

        Assert.Equal(["inspect", "render", "quickstart", "bench"], names);
    }

    private static async Task<(int ExitCode, string Output)> InvokeAsync(params string[] args)
    {
        // Parse errors go to the error writer; these tests look at everything the command printed.
        var (exitCode, output, error) = await CliInvoker.InvokeAsync(args);
        return (exitCode, output + error);
    }
}
