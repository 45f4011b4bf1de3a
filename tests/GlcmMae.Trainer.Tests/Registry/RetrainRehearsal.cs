using System.Text.Json;
using GlcmMae.Shared.Inference;
using GlcmMae.Shared.Models;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Testing;
using GlcmMae.Trainer.Data;
using GlcmMae.Trainer.Tests.Cli;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GlcmMae.Trainer.Tests.Registry;

/// <summary>
/// The scheduled retraining loop, rehearsed end to end with the real command line: dataset v1 is retrained (the first
/// run is killed mid-pretraining, its disk wiped, and started again) and promoted; v2 adds studies, and every v1 test
/// study stays test while the champion is re-measured on the same scans; v3 has shuffled training labels and is
/// refused; a fourth run warm-starts from the serving model's pretraining checkpoint. After each run the serving model
/// host follows current.json, and its results carry the version.
/// </summary>
public abstract class RetrainRehearsal : IDisposable
{
    private const string ModelName = "rehearsal";

    protected RetrainRehearsal() => Temp = new TempFolder();

    protected TempFolder Temp { get; }

    protected string Root => Temp.File("root");

    /// <summary>local or azure.</summary>
    protected abstract string Store { get; }

    /// <summary>The registry the runs publish to.</summary>
    protected abstract Task<ModelRegistry> RegistryAsync();

    /// <summary>Makes a dataset folder available to retrain and returns its --data argument.</summary>
    protected abstract Task<string> DataAsync(string folder, string version);

    /// <summary>True when the run store holds a complete checkpoint of the run's first pretraining stage.</summary>
    protected abstract Task<bool> RunCopyHasCheckpointAsync(string run);

    public virtual void Dispose()
    {
        Temp.Dispose();
        GC.SuppressFinalize(this);
    }

    private string[] Arguments(string data, string run) =>
    [
        "retrain", "--data", data, "--name", ModelName, "--store", Store, "--root", Root, "--output", Path.Combine(Temp.Path, "work", run),
        "--model", "tiny", "--mse-epochs", "4", "--glcm-epochs", "1", "--finetune-epochs", "12", "--finetune-lr", "1e-3", "--finetune-augment", "false", "--batch", "16", "--threads", "2",
        "--gate-min-per-class", "3", "--gate-resamples", "500", "--events", "file", "--json",
    ];

    private static JsonElement Published(string output) => JsonDocument.Parse(output).RootElement.GetProperty("published").Clone();

    [Fact]
    public async Task The_loop_promotes_remeasures_the_champion_refuses_shuffled_labels_resumes_and_serving_follows()
    {
        var registry = await RegistryAsync();
        var serving = Options.Create(new ServingOptions { ModelName = ModelName, ExecutionProvider = ExecutionProviderChoice.Cpu, MicroBatching = false });
        await using var host = new ModelHost(registry, serving, NullLogger<ModelHost>.Instance);
        var pipeline = new ScanPipeline(host, serving, NullLogger<ScanPipeline>.Instance);
        var v1 = Temp.File("v1");
        RehearsalData.Write(v1, perClass: 24, prefix: "a", seed: 1);
        var probe = await File.ReadAllBytesAsync(Path.Combine(v1, "normal", "a-000.png"));

        async Task<string> ServedVersionAsync()
        {
            await host.RefreshAsync(CancellationToken.None);
            var outcome = await pipeline.ProcessAsync(ScanInput.FromBytes("scans", "probe.png", probe), CancellationToken.None);
            return outcome.Result!.Model.Version;
        }

        // v1, killed once its first checkpoint is safe in the run store, its work folder wiped as a fresh job's disk would be.
        var data1 = await DataAsync(v1, "v1");
        using (var kill = new CancellationTokenSource(TimeSpan.FromMinutes(5)))
        {
            var run = CliInvoker.InvokeAsync(kill.Token, Arguments(data1, "run-1"));
            while (!run.IsCompleted && !await RunCopyHasCheckpointAsync("run-1"))
            {
                await Task.Delay(50);
            }

            if (run.IsCompleted)
            {
                var (_, _, early) = await run;
                Assert.Fail($"the run ended before its first checkpoint was copied: {early}");
            }

            await kill.CancelAsync();
            try
            {
                // System.CommandLine reports a cancelled action as exit code 130 (as a shell does for SIGINT).
                Assert.NotEqual(0, (await run).ExitCode);
            }
            catch (OperationCanceledException)
            {
            }
        }

        Directory.Delete(Path.Combine(Temp.Path, "work", "run-1"), recursive: true);
        var (code1, output1, error1) = await CliInvoker.InvokeAsync(Arguments(data1, "run-1"));
        Assert.True(code1 == 0, error1);
        var runs = File.ReadLines(Path.Combine(Temp.Path, "work", "run-1", "pretrain-mse", "metrics.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement).Where(e => e.GetProperty("type").GetString() == "run").ToArray();
        // The copy brought back the stage's log too: the killed run's start, then the continuation's.
        Assert.Equal(2, runs.Length);
        var resumed = runs[^1].GetProperty("data");
        Assert.True(resumed.GetProperty("firstEpoch").GetInt32() >= 1, "the second run started from scratch");
        Assert.Contains("checkpoints", resumed.GetProperty("resumedFrom").GetString(), StringComparison.Ordinal);
        var first = Published(output1);
        Assert.True(first.GetProperty("promoted").GetBoolean());
        Assert.Equal("firstModel", first.GetProperty("verdict").GetString());
        var version1 = first.GetProperty("version").GetString()!;
        Assert.Equal(version1, await ServedVersionAsync());

        // Trained on 8-bit 64 x 64 PNGs: a 12-bit 512 x 512 CT is outside the model's scope, refused rather than labelled.
        var scope = (await registry.GetManifestAsync(ModelName, version1)).Scope!;
        Assert.Equal(["Png"], scope.Formats);
        Assert.Equal((64, 64, 8), (scope.MinRows, scope.MaxRows, scope.MaxBitsStored));
        var ct = GlcmMae.Shared.Imaging.Dicom.DicomWriter.Write(
            SyntheticDicom.Grayscale(512, 512, 16, 12, false, (_, r, c) => r + c, modality: "CT"), GlcmMae.Shared.Imaging.Dicom.DicomTransferSyntax.ExplicitVRLittleEndian);
        var refused = await pipeline.ProcessAsync(ScanInput.FromBytes("scans", "ct.dcm", ct), CancellationToken.None);
        Assert.Equal(ScanPipeline.OutOfScope, refused.Error!.Code);

        // v2 = v1 plus new studies: v1's test studies stay test, and the champion is measured on the candidate's test split.
        var v2 = Temp.File("v2");
        RehearsalData.Copy(v1, v2);
        RehearsalData.Write(v2, perClass: 12, prefix: "b", seed: 2);
        var (code2, output2, error2) = await CliInvoker.InvokeAsync(Arguments(await DataAsync(v2, "v2"), "run-2"));
        Assert.True(code2 == 0, error2);
        var second = Published(output2);
        var version2 = second.GetProperty("version").GetString()!;
        var lineage1 = await LineageAsync(registry, version1);
        var lineage2 = await LineageAsync(registry, version2);
        var test1 = lineage1.Where(e => e.Split == SnapshotUse.Test).Select(e => e.Sha256).ToHashSet();
        var test2 = lineage2.Where(e => e.Split == SnapshotUse.Test).Select(e => e.Sha256).ToHashSet();
        Assert.NotEmpty(test1);
        Assert.Subset(test2, test1);
        Assert.True(test2.Count > test1.Count, "no new study fell into the test split");
        Assert.Equal(lineage1.Count + 36, lineage2.Count);
        var comparison2 = second.GetProperty("comparison");
        Assert.Equal(version1, comparison2.GetProperty("championVersion").GetString());
        Assert.Equal(test2.Count, comparison2.GetProperty("images").GetInt32());
        Assert.True(comparison2.GetProperty("champion").GetDouble() >= 0.7, $"the champion learnt too little for the rehearsal to mean anything: {comparison2}");
        var champion = second.GetProperty("promoted").GetBoolean() ? version2 : version1;
        Assert.Equal(champion, await ServedVersionAsync());

        // v3: the training studies' labels shuffled; the test studies keep theirs. The gate refuses, serving stays.
        var v3 = Temp.File("v3");
        RehearsalData.Copy(v2, v3);
        RehearsalData.ShuffleLabels(v3, lineage2.Where(e => e.Split != SnapshotUse.Test).Select(e => e.Path).ToHashSet(), seed: 3);
        var (code3, output3, error3) = await CliInvoker.InvokeAsync(Arguments(await DataAsync(v3, "v3"), "run-3"));
        Assert.True(code3 == 0, error3);
        var third = Published(output3);
        Assert.False(third.GetProperty("promoted").GetBoolean(), third.ToString());
        Assert.Equal("worse", third.GetProperty("verdict").GetString());
        var comparison3 = third.GetProperty("comparison");
        Assert.Equal(champion, comparison3.GetProperty("championVersion").GetString());
        Assert.Equal(test2.Count, comparison3.GetProperty("images").GetInt32());
        Assert.Equal(champion, await ServedVersionAsync());

        // Every decision is in current.json's history with its figures, and on the model-events topic.
        var current = (await registry.GetCurrentAsync(ModelName))!.Value.Current;
        Assert.Equal(champion, current.Version);
        Assert.Equal([version1, version2, third.GetProperty("version").GetString()!], current.History.Select(h => h.Version));
        Assert.Null(current.History[0].Comparison);
        Assert.All(current.History.Skip(1), h => Assert.NotNull(h.Comparison));
        Assert.Equal(ModelDecision.Refused, current.History[2].Decision);
        Assert.Equal("publish gate", current.History[2].By);
        Assert.Equal(3, Directory.GetFiles(Path.Combine(Root, "topics", "model-events"), "*.json").Length);
        var card = await registry.TryReadAttachmentAsync(ModelName, third.GetProperty("version").GetString()!, "card.md");
        var cardText = System.Text.Encoding.UTF8.GetString(card!);
        Assert.Contains("Not promoted (Worse)", cardText, StringComparison.Ordinal);
        Assert.Contains("Serving refuses scans outside what the model was trained on", cardText, StringComparison.Ordinal);

        // A nightly job warm-starts from the serving model's pretraining: no MSE stage, GLCM from its encoder.
        var (code4, _, error4) = await CliInvoker.InvokeAsync([.. Arguments(await DataAsync(v2, "v2"), "run-4"), "--from-champion"]);
        Assert.True(code4 == 0, error4);
        var run4 = Path.Combine(Temp.Path, "work", "run-4");
        Assert.False(Directory.Exists(Path.Combine(run4, "pretrain-mse")), "the warm start ran MSE pretraining");
        var warm = File.ReadLines(Path.Combine(run4, "pretrain-glcm", "metrics.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement).Single(e => e.GetProperty("type").GetString() == "run").GetProperty("data");
        Assert.Contains("champion-pretraining", warm.GetProperty("resumedFrom").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, warm.GetProperty("firstEpoch").GetInt32());
    }

    private static async Task<IReadOnlyList<SnapshotEntry>> LineageAsync(ModelRegistry registry, string version) =>
        DatasetSnapshot.Parse(await registry.TryReadAttachmentAsync(ModelName, version, DatasetSnapshot.FileName) ?? throw new InvalidOperationException($"{version} has no lineage"), version);
}
