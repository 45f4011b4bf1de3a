using System.Text.Json;
using GlcmMae.Shared.Models;
using GlcmMae.Shared.Preprocessing;
using GlcmMae.Shared.Storage;
using GlcmMae.Testing;
using GlcmMae.Trainer.Benchmarks.Explain;
using GlcmMae.Trainer.Tests.Cli;

namespace GlcmMae.Trainer.Tests.Benchmarks;

public sealed class ExplainTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private async Task<string> StoreAsync()
    {
        var root = _temp.File("store");
        await TestModels.PublishAsync(new ModelRegistry(new LocalFolderBlobStore(Path.Combine(root, "models"))), "demo", "v1");
        return root;
    }

    [Fact]
    public async Task Classify_explain_writes_each_overlay_under_results_named_by_the_result_id_and_references_it()
    {
        var root = await StoreAsync();
        var scan = _temp.File("Doe_Jane.png");
        await File.WriteAllBytesAsync(scan, TestModels.GreyPng(30));

        var (exitCode, output, error) = await CliInvoker.InvokeAsync("classify", scan, "--name", "demo", "--store", "local", "--root", root, "--execution-provider", "cpu", "--explain", "--json");

        Assert.True(exitCode == 0, output + error);
        using var results = JsonDocument.Parse(output);
        var result = results.RootElement.EnumerateArray().Single();
        var relative = result.GetProperty("explanation").GetString()!;
        Assert.Equal($"results/{result.GetProperty("resultId").GetString()}.png", relative);
        Assert.DoesNotContain("Doe", relative, StringComparison.Ordinal);
        var png = await File.ReadAllBytesAsync(Path.Combine(root, relative));
        Assert.Equal((byte)0x89, png[0]);
    }

    [Fact]
    public async Task Bench_explain_plays_the_pointing_game_and_prints_one_json_document()
    {
        var root = await StoreAsync();

        var (exitCode, output, error) = await CliInvoker.InvokeAsync("bench", "explain", "--name", "demo", "--store", "local", "--root", root, "--scans", "6", "--json");

        Assert.True(exitCode == 0, output + error);
        using var report = JsonDocument.Parse(output);
        var result = report.RootElement.GetProperty("result");
        Assert.Equal(6, result.GetProperty("scans").GetInt32());
        Assert.Equal(6, result.GetProperty("explained").GetInt32());
        Assert.InRange(result.GetProperty("hits").GetInt32(), 0, 6);
        Assert.InRange(result.GetProperty("randomBaseline").GetDouble(), 0.01, 0.99);
        Assert.Equal(36, result.GetProperty("scanSize").GetInt32());
    }

    [Fact]
    public void A_pixel_of_the_models_input_maps_back_through_the_resize_and_the_centre_crop()
    {
        var spec = PreprocessingSpec.Default with { ResizeShorterSide = 36, CropSize = 32 };

        // 72 px source, resized to 36 (scale 2), cropped 2 px in: input pixel 0 is resized pixel 2, source pixels 4-5.
        Assert.Equal(5, PointingGame.Source(0, 0, 72, spec) % 72);
        Assert.Equal(5, PointingGame.Source(0, 0, 72, spec) / 72);
        // Input pixel 31 is resized pixel 33, source pixels 66-67; the centre of the input pixel falls on 67.
        Assert.Equal(67, PointingGame.Source(31, 0, 72, spec) % 72);
    }
}
