using System.Text.Json;
using GlcmMae.Trainer.Benchmarks;
using GlcmMae.Trainer.Tests.Cli;

namespace GlcmMae.Trainer.Tests.Benchmarks;

/// <summary><c>glcmmae bench glcm-noise</c>: the GLCM term's sampling noise, measured on the texture family.</summary>
[Collection(TorchCollection.Name)]
public sealed class GlcmNoiseBenchmarkTests
{
    [Fact]
    public void At_the_methods_settings_the_term_between_patches_of_one_image_is_the_stage_two_floor_and_carries_no_class()
    {
        var rows = GlcmNoiseBenchmark.Run([256], patchSize: 16, imageSize: 64, pairs: 150, seed: 1);

        var row = Assert.Single(rows);
        // docs/science.md: stage 2 stalls at 0.0064, which is what two samples of one texture already differ by.
        Assert.InRange(row.SameImage, 0.006, 0.007);
        Assert.InRange(row.ClassAuroc, 0.4, 0.6);
    }

    [Fact]
    public void Whole_images_at_few_bins_tell_the_classes_apart_and_the_command_prints_one_json_document()
    {
        var rows = GlcmNoiseBenchmark.Run([256, 8], patchSize: 64, imageSize: 128, pairs: 150, seed: 2);

        Assert.True(rows[1].ClassAuroc > 0.7, $"AUROC at 8 bins on 64 px: {rows[1].ClassAuroc:F3}");
        Assert.True(rows[1].ClassAuroc > rows[0].ClassAuroc);
        Assert.True(rows[1].OtherClass > rows[1].SameClass);
    }

    [Fact]
    public void Pooling_an_images_patches_into_one_glcm_lets_the_term_see_the_class()
    {
        var single = GlcmNoiseBenchmark.Run([8], patchSize: 16, imageSize: 128, pairs: 120, seed: 3);
        var pooled = GlcmNoiseBenchmark.Run([8], patchSize: 16, imageSize: 128, pairs: 120, seed: 3, pooled: 12);

        // docs/science.md: 12 pooled 16 px patches (what --glcm-region image pools at 64 px) against one patch.
        Assert.True(pooled[0].ClassAuroc > single[0].ClassAuroc + 0.1, $"AUROC pooled {pooled[0].ClassAuroc:F3}, one patch {single[0].ClassAuroc:F3}");
        Assert.Equal(12, pooled[0].Pooled);
    }

    [Fact]
    public async Task The_command_prints_one_json_document_and_refuses_bad_bins()
    {
        var (exitCode, output, _) = await CliInvoker.InvokeAsync("bench", "glcm-noise", "--bins", "16,4", "--pairs", "20", "--json");
        var (badExit, _, error) = await CliInvoker.InvokeAsync("bench", "glcm-noise", "--bins", "16,one");
        var (tooManyExit, _, tooMany) = await CliInvoker.InvokeAsync("bench", "glcm-noise", "--image-size", "32", "--pooled", "3");

        Assert.Equal(0, exitCode);
        var rows = JsonDocument.Parse(output).RootElement;
        Assert.Equal([16, 4], rows.EnumerateArray().Select(r => r.GetProperty("bins").GetInt32()));
        Assert.Equal(2, badExit);
        Assert.Contains("--bins expects whole numbers", error, StringComparison.Ordinal);
        Assert.Equal(2, tooManyExit);
        Assert.Contains("must hold twice --pooled (3) patches", tooMany, StringComparison.Ordinal);
    }
}
