using GlcmMae.Shared.Aggregation;
using GlcmMae.Shared.Contracts;
using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Shared.Inference;
using GlcmMae.Shared.Models;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Safety;
using GlcmMae.Shared.Storage;
using GlcmMae.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GlcmMae.Shared.Tests.Pipeline;

/// <summary>A 30-frame cine loop: every frame classified as a single-frame scan would be, then aggregated by the rule.</summary>
public sealed class MultiFrameScanTests : IDisposable
{
    private const int FrameCount = 30;
    private readonly TempFolder _temp = new();
    private readonly ModelRegistry _registry;

    public MultiFrameScanTests() => _registry = new ModelRegistry(new LocalFolderBlobStore(Path.Combine(_temp.Path, "models")));

    public void Dispose() => _temp.Dispose();

    // Dark frames read benign and bright ones normal; mid-grey ones are the most malignant (the test model's logits follow the mean level).
    private static byte Level(int frame) => (byte)(10 + (frame * 8));

    private static byte[] Cine(int frames = FrameCount, Func<int, byte>? level = null) =>
        DicomWriter.Write(SyntheticDicom.GreyCine(frames, level ?? Level), DicomTransferSyntax.ExplicitVRLittleEndian);

    private static SafetyProfile Profile(double abstainAbove) => new()
    {
        Scans = 50,
        Calibration = new TemperatureCalibration(2, 0.2, 0.05, 1.1, 0.9),
        Abstention = new AbstentionRule(OodScoreKind.Energy, abstainAbove, 0.95, 0.95),
        OperatingPoint = new OperatingPoint("malignant", 0.3, OperatingRule.Sensitivity, 0.9, 0.92, 0.7),
    };

    private async Task<ClassificationResult?> ClassifyAsync(byte[] scan, FrameOptions frames, ServingOptions? serving = null, string version = "v1")
    {
        var options = Options.Create(serving ?? new ServingOptions { ModelName = "demo", ExecutionProvider = ExecutionProviderChoice.Cpu });
        await using var host = new ModelHost(_registry, options, NullLogger<ModelHost>.Instance);
        var pipeline = new ScanPipeline(host, options, NullLogger<ScanPipeline>.Instance, frameOptions: Options.Create(frames));
        var outcome = await pipeline.ProcessAsync(ScanInput.FromBytes("scans", $"cine-{version}.dcm", scan), CancellationToken.None);
        return outcome.Result;
    }

    [Fact]
    public async Task Every_frame_is_classified_as_a_single_frame_scan_and_the_mean_is_the_result()
    {
        await TestModels.PublishAsync(_registry, "demo", "v1");

        var result = (await ClassifyAsync(Cine(), new FrameOptions()))!;

        var frames = result.Frames!;
        Assert.Null(result.Scan.FrameIndex);
        Assert.Equal(FrameCount, frames.FramesInScan);
        Assert.Equal(Enumerable.Range(0, FrameCount), frames.Frames.Select(f => f.Index));
        Assert.Equal(Enumerable.Range(0, FrameCount), frames.Aggregated);
        Assert.Equal("Mean", frames.Rule);
        foreach (var label in TestModels.Labels)
        {
            Assert.Equal(frames.Frames.Average(f => f.Probabilities[label]), result.Prediction.Probabilities[label], 9);
        }

        Assert.Equal(result.Prediction.Probabilities.MaxBy(p => p.Value).Key, result.Prediction.Label);
        // The loop runs from benign to normal frames: the per-frame figures show it.
        Assert.Equal("benign", frames.Frames[0].Label);
        Assert.Equal("normal", frames.Frames[^1].Label);
        foreach (var frame in new[] { 0, 14, 29 })
        {
            var alone = (await ClassifyAsync(Cine(1, _ => Level(frame)), new FrameOptions()))!;
            Assert.Null(alone.Frames);
            Assert.Equal(0, alone.Scan.FrameIndex);
            foreach (var label in TestModels.Labels)
            {
                // The same preprocessing and model; only float32 rounding of a different run may differ.
                Assert.Equal(alone.Prediction.Probabilities[label], frames.Frames[frame].Probabilities[label], 6);
            }
        }
    }

    [Fact]
    public async Task Long_loops_are_sampled_evenly_from_first_to_last_frame()
    {
        await TestModels.PublishAsync(_registry, "demo", "v1");

        var result = (await ClassifyAsync(Cine(), new FrameOptions { MaxFrames = 8 }))!;

        Assert.Equal([0, 4, 8, 12, 17, 21, 25, 29], result.Frames!.Frames.Select(f => f.Index));
        Assert.Equal(FrameCount, result.Frames.FramesInScan);
        Assert.Equal(FrameCount, new FrameOptions { MaxFrames = 64 }.Sample(FrameCount).Count);
        Assert.Equal([15], new FrameOptions { MaxFrames = 1 }.Sample(FrameCount));
    }

    [Fact]
    public async Task Max_positive_takes_the_most_malignant_frame_and_top_k_the_k_most()
    {
        await TestModels.PublishAsync(_registry, "demo", "v1", safety: Profile(abstainAbove: 1000));

        var max = (await ClassifyAsync(Cine(), new FrameOptions { Aggregation = AggregationRule.MaxPositive }))!;
        var topK = (await ClassifyAsync(Cine(), new FrameOptions { Aggregation = AggregationRule.TopKMean, TopK = 3 }))!;

        var ranked = max.Frames!.Frames.OrderByDescending(f => f.Probabilities["malignant"]).ToArray();
        Assert.Equal([ranked[0].Index], max.Frames.Aggregated);
        Assert.InRange(ranked[0].Index, 1, FrameCount - 2);
        Assert.Equal("malignant", max.Frames.PositiveLabel);
        Assert.Equal(ranked[0].Probabilities["malignant"], max.Prediction.Probabilities["malignant"], 12);
        Assert.Equal("positive", max.Assessment!.Decision);
        Assert.Equal(topK.Frames!.Frames.OrderByDescending(f => f.Probabilities["malignant"]).Take(3).Select(f => f.Index), topK.Frames.Aggregated);
        Assert.Equal(3, topK.Frames.TopK);
        // From the run's own frames: two runs agree only to float32 rounding (different sessions, different batches).
        Assert.Equal(topK.Frames.Frames.Where(f => topK.Frames.Aggregated.Contains(f.Index)).Average(f => f.Probabilities["malignant"]), topK.Prediction.Probabilities["malignant"], 12);
        // The mean of the whole loop is less sure of the finding than its most malignant frames.
        var mean = (await ClassifyAsync(Cine(), new FrameOptions()))!;
        Assert.True(mean.Prediction.Probabilities["malignant"] < topK.Prediction.Probabilities["malignant"]);
    }

    [Fact]
    public async Task A_ranking_rule_without_a_positive_class_refuses_rather_than_guesses()
    {
        await TestModels.PublishAsync(_registry, "demo", "v1");

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ClassifyAsync(Cine(), new FrameOptions { Aggregation = AggregationRule.MaxPositive }));
        var named = (await ClassifyAsync(Cine(), new FrameOptions { Aggregation = AggregationRule.MaxPositive, PositiveLabel = "benign" }))!;

        Assert.Contains("Frames:PositiveLabel", refused.Message, StringComparison.Ordinal);
        Assert.Equal([0], named.Frames!.Aggregated);
    }

    [Fact]
    public async Task Selected_mode_classifies_the_frame_the_model_was_trained_on()
    {
        await TestModels.PublishAsync(_registry, "demo", "v1");

        var result = (await ClassifyAsync(Cine(), new FrameOptions { Mode = FrameMode.Selected }))!;

        Assert.Null(result.Frames);
        Assert.Equal(FrameCount / 2, result.Scan.FrameIndex);
    }

    [Fact]
    public async Task Frames_the_model_would_refuse_are_left_out_and_half_refused_refuses_the_scan()
    {
        await TestModels.PublishAsync(_registry, "demo", "v1", safety: Profile(abstainAbove: 1000));
        var scored = (await ClassifyAsync(Cine(), new FrameOptions()))!;
        var scores = scored.Frames!.Frames.Select(f => f.OodScore).Order().ToArray();
        // Thresholds that refuse the 10, then the 15, least familiar frames.
        await TestModels.PublishAsync(_registry, "demo", "v2", safety: Profile(abstainAbove: (scores[19] + scores[20]) / 2));
        var ten = (await ClassifyAsync(Cine(), new FrameOptions(), version: "v2"))!;
        await TestModels.PublishAsync(_registry, "demo", "v3", safety: Profile(abstainAbove: (scores[14] + scores[15]) / 2));
        var options = Options.Create(new ServingOptions { ModelName = "demo", ExecutionProvider = ExecutionProviderChoice.Cpu });
        await using var host = new ModelHost(_registry, options, NullLogger<ModelHost>.Instance);
        var fifteen = await new ScanPipeline(host, options, NullLogger<ScanPipeline>.Instance).ProcessAsync(ScanInput.FromBytes("scans", "cine.dcm", Cine()), CancellationToken.None);

        Assert.Equal(10, ten.Frames!.Frames.Count(f => f.Abstained));
        Assert.All(ten.Frames.Frames.Where(f => f.Abstained), f => Assert.Null(f.Label));
        Assert.Equal(ten.Frames.Frames.Where(f => !f.Abstained).Select(f => f.Index), ten.Frames.Aggregated);
        Assert.False(ten.Assessment!.Abstained);
        Assert.Null(fifteen.Result);
        Assert.Equal(ScanPipeline.Abstained, fifteen.Error!.Code);
        Assert.Contains("15 of 30 frames", fifteen.Error.Message, StringComparison.Ordinal);
    }
}
