using System.Text.Json;
using GlcmMae.Shared.Contracts;
using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Shared.Inference;
using GlcmMae.Shared.Messaging;
using GlcmMae.Shared.Models;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Serving;
using GlcmMae.Shared.Storage;
using GlcmMae.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GlcmMae.Shared.Tests.Pipeline;

public sealed class ScanPipelineTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly ModelRegistry _registry;
    private readonly CapturingLogger<ModelHost> _hostLog = new();
    private readonly CapturingLogger<ScanPipeline> _pipelineLog = new();

    public ScanPipelineTests() => _registry = new ModelRegistry(new LocalFolderBlobStore(Path.Combine(_temp.Path, "models")));

    public void Dispose() => _temp.Dispose();

    private (ModelHost Host, ScanPipeline Pipeline) Create(ServingOptions? serving = null)
    {
        var options = Options.Create(serving ?? new ServingOptions { ModelName = "demo", ExecutionProvider = ExecutionProviderChoice.Cpu });
        var host = new ModelHost(_registry, options, _hostLog);
        return (host, new ScanPipeline(host, options, _pipelineLog));
    }

    private static byte[] Png(byte level) => TestModels.GreyPng(level);

    private static Shared.Safety.SafetyProfile Profile(double abstainAbove, double positiveAt) => new()
    {
        Scans = 50,
        Calibration = new Shared.Safety.TemperatureCalibration(2, 0.2, 0.05, 1.1, 0.9),
        Abstention = new Shared.Safety.AbstentionRule(Shared.Safety.OodScoreKind.Energy, abstainAbove, 0.95, 0.95),
        OperatingPoint = new Shared.Safety.OperatingPoint("malignant", positiveAt, Shared.Safety.OperatingRule.Sensitivity, 0.9, 0.92, 0.7),
    };

    [Fact]
    public async Task A_scan_above_the_abstention_threshold_is_a_refusal_with_its_score_and_never_a_label()
    {
        await TestModels.PublishAsync(_registry, "demo", "v1", safety: Profile(abstainAbove: -1000, positiveAt: 0));
        var (host, pipeline) = Create();
        await using var disposeHost = host;

        var outcome = await pipeline.ProcessAsync(ScanInput.FromBytes("scans", "a.png", Png(20)), CancellationToken.None);

        Assert.Null(outcome.Result);
        Assert.Equal(ScanPipeline.Abstained, outcome.Error!.Code);
        var assessment = outcome.Error.Assessment!;
        Assert.True(assessment.Abstained);
        Assert.True(assessment.OodScore > assessment.OodThreshold);
        Assert.Null(assessment.Decision);
        Assert.Contains("no label is given", outcome.Error.Message, StringComparison.Ordinal);
        var message = OutcomeMessage.From(outcome);
        Assert.Equal(Topics.Errors, message.Topic);
        var body = System.Text.Encoding.UTF8.GetString(message.Body);
        Assert.DoesNotContain("probabilities", body, StringComparison.Ordinal);

        // Measuring a model on every scan (the publish gate) scores without refusing.
        var (measuringHost, measuring) = Create(new ServingOptions { ModelName = "demo", ExecutionProvider = ExecutionProviderChoice.Cpu, Abstain = false });
        await using var disposeMeasuring = measuringHost;
        var measured = await measuring.ProcessAsync(ScanInput.FromBytes("scans", "a.png", Png(20)), CancellationToken.None);
        Assert.Equal("benign", measured.Result!.Prediction.Label);
        Assert.False(measured.Result.Assessment!.Abstained);
        Assert.Null(measured.Result.Assessment.OodThreshold);
        Assert.DoesNotContain("malignant\"", body.Replace("\"positiveLabel\":\"malignant\"", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Results_carry_calibrated_probabilities_the_score_and_the_decision_at_the_operating_point()
    {
        await TestModels.PublishAsync(_registry, "demo", "v1", safety: Profile(abstainAbove: 1000, positiveAt: 0));
        var (host, pipeline) = Create();
        await using var disposeHost = host;
        await TestModels.PublishAsync(_registry, "plain", "v1");
        var (plainHost, plainPipeline) = Create(new ServingOptions { ModelName = "plain", ExecutionProvider = ExecutionProviderChoice.Cpu });
        await using var disposePlain = plainHost;

        var calibrated = (await pipeline.ProcessAsync(ScanInput.FromBytes("scans", "a.png", Png(20)), CancellationToken.None)).Result!;
        var plain = (await plainPipeline.ProcessAsync(ScanInput.FromBytes("scans", "a.png", Png(20)), CancellationToken.None)).Result!;

        Assert.Equal(2, ClassificationResult.CurrentSchemaVersion);
        Assert.Equal(2.0, calibrated.Assessment!.Temperature);
        Assert.Equal(1.0, plain.Assessment!.Temperature);
        // The same scan and weights: dividing the logits by 2 softens the winning probability.
        Assert.Equal(plain.Prediction.Label, calibrated.Prediction.Label);
        Assert.True(calibrated.Prediction.Probabilities[calibrated.Prediction.Label] < plain.Prediction.Probabilities[plain.Prediction.Label]);
        Assert.Equal(1.0, calibrated.Prediction.Probabilities.Values.Sum(), 9);
        Assert.Equal("Energy", calibrated.Assessment.OodScoreKind);
        Assert.Equal(plain.Assessment.OodScore, calibrated.Assessment.OodScore, 9);
        Assert.False(calibrated.Assessment.Abstained);
        // Threshold 0 on malignant's probability: positive whatever the arg-max says.
        Assert.Equal("positive", calibrated.Assessment.Decision);
        Assert.Equal("malignant", calibrated.Assessment.PositiveLabel);
        Assert.Null(plain.Assessment.Decision);
        Assert.Equal("positive", OutcomeMessage.From(new ScanOutcome(calibrated, null, null)).Properties["decision"]);
        Assert.False(OutcomeMessage.From(new ScanOutcome(plain, null, null)).Properties.ContainsKey("decision"));
    }

    [Fact]
    public async Task Asked_to_explain_the_pipeline_attaches_an_occlusion_map_and_its_overlay_to_labelled_scans_only()
    {
        await TestModels.PublishAsync(_registry, "demo", "v1");
        var (host, pipeline) = Create(new ServingOptions { ModelName = "demo", ExecutionProvider = ExecutionProviderChoice.Cpu, Explain = true });
        await using var disposeHost = host;
        var (plainHost, plain) = Create();
        await using var disposePlain = plainHost;

        var explained = await pipeline.ProcessAsync(ScanInput.FromBytes("scans", "a.png", Png(20)), CancellationToken.None);
        var refused = await pipeline.ProcessAsync(ScanInput.FromBytes("scans", "d.txt", "not an image"u8.ToArray()), CancellationToken.None);
        var unexplained = await plain.ProcessAsync(ScanInput.FromBytes("scans", "a.png", Png(20)), CancellationToken.None);

        var explanation = explained.Explanation!;
        Assert.Equal(32, explanation.Map.Size);
        Assert.Equal(explained.Result!.Prediction.LabelIndex, explanation.Map.ClassIndex);
        Assert.Equal((byte)0x89, explanation.Png[0]);
        Assert.Null(refused.Explanation);
        Assert.Null(unexplained.Explanation);
        // Serving explains; the host that stores the image names it in the result.
        Assert.Null(explained.Result.Explanation);
    }

    [Fact]
    public async Task Classifies_png_and_dicom_and_reports_bad_scans_as_typed_errors_without_patient_data()
    {
        await TestModels.PublishAsync(_registry, "demo", "v1");
        var (host, pipeline) = Create();
        await using var disposeHost = host;
        var dicom = DicomWriter.Write(SyntheticDicom.Grayscale(48, 48, 8, 8, false, (_, r, c) => (r * 5) + c, modality: "US").WithPatient(), DicomTransferSyntax.ExplicitVRLittleEndian);

        var png = await pipeline.ProcessAsync(ScanInput.FromBytes("scans", "a.png", Png(20), "etag-1"), CancellationToken.None);
        var dcm = await pipeline.ProcessAsync(ScanInput.FromBytes("scans", "b.dcm", dicom, "etag-2"), CancellationToken.None);
        var corrupt = await pipeline.ProcessAsync(ScanInput.FromBytes("scans", "c.dcm", dicom.AsSpan(0, 300).ToArray()), CancellationToken.None);
        var text = await pipeline.ProcessAsync(ScanInput.FromBytes("scans", "d.txt", "not an image"u8.ToArray()), CancellationToken.None);

        Assert.Equal("benign", png.Result!.Prediction.Label);
        Assert.Equal("Png", png.Result.Scan.Format);
        Assert.Equal("v1", png.Result.Model.Version);
        Assert.Equal("CPUExecutionProvider", png.Result.Model.ExecutionProvider);
        Assert.Equal(1.0, png.Result.Prediction.Probabilities.Values.Sum(), 5);
        Assert.True(png.Result.Timings.Total >= png.Result.Timings.Inference);
        Assert.Equal(MessageIds.For("memory://scans/a.png", "etag-1", "v1"), png.Result.ResultId);
        Assert.Equal("US", dcm.Result!.Scan.Modality);
        Assert.Equal("2.25.111", dcm.Result.Scan.StudyInstanceUid);
        Assert.Equal("CorruptFile", corrupt.Error!.Code);
        Assert.Equal("UnsupportedFormat", text.Error!.Code);

        var everything = string.Join('\n', new[] { png, dcm, corrupt, text }.Select(o => JsonSerializer.Serialize(o, ContractJson.Options))
            .Concat(new[] { png, dcm, corrupt, text }.Select(o => System.Text.Encoding.UTF8.GetString(OutcomeMessage.From(o).Body)))
            .Concat(_pipelineLog.Lines).Concat(_hostLog.Lines));
        foreach (var patient in new[] { "Doe", "Jane", "PID-0042", "19700101", "ACC-777" })
        {
            Assert.DoesNotContain(patient, everything, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Logs_name_scans_by_result_id_never_by_a_blob_name_that_carries_a_patient()
    {
        await TestModels.PublishAsync(_registry, "demo", "v1");
        var (host, pipeline) = Create();
        await using var disposeHost = host;

        var classified = await pipeline.ProcessAsync(ScanInput.FromBytes("scans", "DOE_JANE_MRN4471/chest.png", Png(20)), CancellationToken.None);
        var rejected = await pipeline.ProcessAsync(ScanInput.FromBytes("scans", "DOE_JANE_MRN4471/broken.dcm", "not a scan"u8.ToArray()), CancellationToken.None);

        var lines = string.Join('\n', _pipelineLog.Lines);
        Assert.DoesNotContain("MRN4471", lines, StringComparison.Ordinal);
        Assert.DoesNotContain("DOE_JANE", lines, StringComparison.Ordinal);
        Assert.Contains(classified.Result!.ResultId, lines, StringComparison.Ordinal);
        Assert.Contains(rejected.Error!.ErrorId, lines, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ct_scan_sent_to_an_ultrasound_model_is_refused_as_out_of_scope_never_labelled()
    {
        var ultrasound = new ModelScope
        {
            Formats = ["Dicom"],
            Modalities = ["US"],
            PhotometricInterpretations = ["MONOCHROME"],
            SamplesPerPixel = [1],
            MinBitsStored = 8,
            MaxBitsStored = 8,
            MinRows = 48,
            MaxRows = 64,
            MinColumns = 48,
            MaxColumns = 64,
        };
        await TestModels.PublishAsync(_registry, "demo", "v1", scope: ultrasound);
        var (host, pipeline) = Create();
        await using var disposeHost = host;
        var ct = DicomWriter.Write(SyntheticDicom.Grayscale(512, 512, 16, 12, false, (_, r, c) => (r * 7) + c, modality: "CT").WithPatient(), DicomTransferSyntax.ExplicitVRLittleEndian);
        var us = DicomWriter.Write(SyntheticDicom.Grayscale(48, 48, 8, 8, false, (_, r, c) => (r * 5) + c, modality: "US").WithPatient(), DicomTransferSyntax.ExplicitVRLittleEndian);

        var refused = await pipeline.ProcessAsync(ScanInput.FromBytes("scans", "ct.dcm", ct), CancellationToken.None);
        var classified = await pipeline.ProcessAsync(ScanInput.FromBytes("scans", "us.dcm", us), CancellationToken.None);
        var png = await pipeline.ProcessAsync(ScanInput.FromBytes("scans", "us.png", Png(30)), CancellationToken.None);

        Assert.Null(refused.Result);
        Assert.Equal(ScanPipeline.OutOfScope, refused.Error!.Code);
        Assert.Contains("modality is CT; the model was trained on US", refused.Error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Doe", refused.Error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(classified.Result);
        // A PNG carries no modality: it is checked on what it carries (8 bits, one channel, 40 x 40 within half of 48).
        Assert.NotNull(png.Result);

        var (offHost, offPipeline) = Create(new ServingOptions { ModelName = "demo", ExecutionProvider = ExecutionProviderChoice.Cpu, Scope = ScopeCheck.Off });
        await using var disposeOff = offHost;
        Assert.NotNull((await offPipeline.ProcessAsync(ScanInput.FromBytes("scans", "ct.dcm", ct), CancellationToken.None)).Result);
    }

    [Fact]
    public async Task Files_whose_damage_once_crashed_or_exhausted_a_decoder_are_one_corrupt_file_outcome_each()
    {
        await TestModels.PublishAsync(_registry, "demo", "v1");
        var (host, pipeline) = Create();
        await using var disposeHost = host;

        var lossless = await pipeline.ProcessAsync(ScanInput.FromBytes("scans", "lossless.dcm", await HostileScans.LosslessJpegWithZeroSamplingAsync(_temp)), CancellationToken.None);
        var j2k = await pipeline.ProcessAsync(ScanInput.FromBytes("scans", "j2k.dcm", await HostileScans.Jpeg2000WithHugeSizAsync(_temp)), CancellationToken.None);

        Assert.Equal("CorruptFile", lossless.Error!.Code);
        Assert.Equal("CorruptFile", j2k.Error!.Code);
        Assert.Null(lossless.Result);
        Assert.Null(j2k.Result);
    }

    [Fact]
    public async Task The_imaging_limits_in_configuration_apply_to_served_scans()
    {
        await TestModels.PublishAsync(_registry, "demo", "v1");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Inference:ModelName"] = "demo",
            ["Inference:ExecutionProvider"] = "cpu",
            ["Serving:ModelStore"] = "local",
            ["Serving:ModelsRoot"] = Path.Combine(_temp.Path, "models"),
            ["Serving:Messaging"] = "file",
            ["Serving:TopicsRoot"] = Path.Combine(_temp.Path, "topics"),
            ["Imaging:Dicom:MaxDimension"] = "32",
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddScanServing(configuration).BuildServiceProvider();
        var pipeline = services.GetRequiredService<ScanPipeline>();
        var dicom = DicomWriter.Write(SyntheticDicom.Grayscale(48, 48, 8, 8, false, (_, r, c) => r + c, modality: "US"), DicomTransferSyntax.ExplicitVRLittleEndian);

        var outcome = await pipeline.ProcessAsync(ScanInput.FromBytes("scans", "big.dcm", dicom), CancellationToken.None);

        Assert.Equal("ImageTooLarge", outcome.Error!.Code);
        Assert.Contains("Imaging:Dicom:MaxDimension", outcome.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Classified_and_rejected_scans_and_the_cpu_fallback_are_reported_as_metrics()
    {
        await TestModels.PublishAsync(_registry, "demo", "v1");
        var (host, pipeline) = Create(new ServingOptions { ModelName = "demo", ExecutionProvider = ExecutionProviderChoice.Auto });
        await using var disposeHost = host;
        var measured = new System.Collections.Concurrent.ConcurrentBag<(string Name, long Value, string? Tag)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == GlcmMae.Shared.Diagnostics.GlcmMaeTelemetry.SourceName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            measured.Add((instrument.Name, value, tags.ToArray().FirstOrDefault(t => t.Key == "error.code").Value?.ToString())));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
            measured.Add((instrument.Name, value, tags.ToArray().FirstOrDefault(t => t.Key == "session").Value?.ToString())));
        var stages = new System.Collections.Concurrent.ConcurrentBag<(string Name, double Value, string? Stage)>();
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
            stages.Add((instrument.Name, value, tags.ToArray().FirstOrDefault(t => t.Key == "stage").Value?.ToString())));
        listener.Start();

        await pipeline.ProcessAsync(ScanInput.FromBytes("scans", "a.png", Png(20)), CancellationToken.None);
        await pipeline.ProcessAsync(ScanInput.FromBytes("scans", "b.txt", "text"u8.ToArray()), CancellationToken.None);
        listener.RecordObservableInstruments();

        Assert.Contains(measured, m => m.Name == "glcmmae.scans.classified" && m.Value == 1);
        Assert.Contains(measured, m => m.Name == "glcmmae.scans.rejected" && m.Tag == "UnsupportedFormat");
        // This CPU build has no CUDA provider, so asking for auto falls back, and says so.
        Assert.NotNull(host.Current!.Engine.FallbackReason);
        Assert.Contains(measured, m => m.Name == "glcmmae.inference.cpu_fallback" && m.Value == 1);

        // The classified scan's run and each of its stages (the listener is process-wide: other tests may add more).
        Assert.Contains(measured, m => m.Name == "glcmmae.inference.batch_size" && m.Value == 1 && m.Tag == (host.Current.Engine.HasIdleSession ? "idle" : "load"));
        var stageNames = stages.Where(m => m.Name == "glcmmae.scans.stage.duration").Select(m => m.Stage).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(["decode", "inference", "preprocess", "queue", "read"], stageNames);
        Assert.Contains(stages, m => m.Name == "glcmmae.scans.stage.duration" && m.Stage == "inference" && m.Value > 0);
        Assert.Contains(stages, m => m.Name == "glcmmae.scans.duration");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_scan_over_the_size_limit_is_refused_before_decoding(bool inMemory)
    {
        await TestModels.PublishAsync(_registry, "demo", "v1");
        var (host, pipeline) = Create(new ServingOptions { ModelName = "demo", ExecutionProvider = ExecutionProviderChoice.Cpu, MaxScanBytes = 100 });
        await using var disposeHost = host;
        var png = Png(10);
        var input = inMemory
            ? ScanInput.FromBytes("scans", "big.png", png)
            : new ScanInput("scans", "big.png", "memory://scans/big.png", null, _ => Task.FromResult<Stream>(new MemoryStream(png)));

        var outcome = await pipeline.ProcessAsync(input, CancellationToken.None);

        Assert.Equal("ImageTooLarge", outcome.Error!.Code);
        Assert.Contains("the limit is 100", outcome.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Micro_batching_routes_every_result_back_to_its_request(int batchWorkers)
    {
        await TestModels.PublishAsync(_registry, "demo", "v1");
        var (host, pipeline) = Create(new ServingOptions { ModelName = "demo", ExecutionProvider = ExecutionProviderChoice.Cpu, MicroBatching = true, MaxBatchSize = 8, MaxBatchDelayMilliseconds = 20, BatchWorkers = batchWorkers, IntraOpThreads = 1, IdleIntraOpThreads = 0 });
        await using var disposeHost = host;
        var (plainHost, plain) = Create();
        await using var disposePlain = plainHost;
        var levels = Enumerable.Range(0, 40).Select(i => (byte)(i * 6)).ToArray();

        var batched = await Task.WhenAll(levels.Select(l => pipeline.ProcessAsync(ScanInput.FromBytes("scans", $"{l}.png", Png(l)), CancellationToken.None)));
        var single = await Task.WhenAll(levels.Select(l => plain.ProcessAsync(ScanInput.FromBytes("scans", $"{l}.png", Png(l)), CancellationToken.None)));

        for (var i = 0; i < levels.Length; i++)
        {
            AssertSameProbabilities(single[i], batched[i]);
        }

        Assert.True(host.Current!.MicroBatching);
        Assert.Contains(batched, o => o.Result!.Timings.Queue > 0);
        Assert.Equal(levels.Length, host.Current.BatchStatistics.Images);
        Assert.True(host.Current.BatchStatistics.Batches < levels.Length, "requests were batched");
    }

    [Fact]
    public async Task Micro_batches_on_a_cpu_hold_at_most_the_cpu_batch_size_by_default()
    {
        await TestModels.PublishAsync(_registry, "demo", "v1");
        var (host, pipeline) = Create(new ServingOptions { ModelName = "demo", ExecutionProvider = ExecutionProviderChoice.Cpu, MicroBatching = true, MaxBatchDelayMilliseconds = 50, BatchWorkers = 1, IntraOpThreads = 1, IdleIntraOpThreads = 0 });
        await using var disposeHost = host;
        var levels = Enumerable.Range(0, 40).Select(i => (byte)(i * 6)).ToArray();

        var outcomes = await Task.WhenAll(levels.Select(l => Task.Run(() => pipeline.ProcessAsync(ScanInput.FromBytes("scans", $"{l}.png", Png(l)), CancellationToken.None))));

        Assert.All(outcomes, o => Assert.NotNull(o.Result));
        Assert.Equal(ServingThreads.CpuMaxBatchSize, host.Current!.Engine.Threads.MaxBatchSize);
        var (batches, images) = host.Current.BatchStatistics;
        Assert.Equal(levels.Length, images);
        Assert.InRange(batches, levels.Length / ServingThreads.CpuMaxBatchSize, levels.Length - 1);
    }

    [Fact]
    public async Task Greedy_micro_batching_runs_a_lone_request_at_once_and_still_routes_concurrent_ones()
    {
        await TestModels.PublishAsync(_registry, "demo", "v1");
        var (host, pipeline) = Create(new ServingOptions { ModelName = "demo", ExecutionProvider = ExecutionProviderChoice.Cpu, MicroBatching = true, MaxBatchSize = 8, MaxBatchDelayMilliseconds = 0, IntraOpThreads = 1, IdleIntraOpThreads = 0 });
        await using var disposeHost = host;
        var (plainHost, plain) = Create();
        await using var disposePlain = plainHost;
        var levels = Enumerable.Range(0, 40).Select(i => (byte)(i * 6)).ToArray();

        // One at a time: each finds the queue empty and the worker free, so it never waits in the queue.
        foreach (var level in levels.Take(5))
        {
            var outcome = await pipeline.ProcessAsync(ScanInput.FromBytes("scans", $"{level}.png", Png(level)), CancellationToken.None);
            Assert.Equal(0, outcome.Result!.Timings.Queue);
        }

        Assert.Equal((5L, 5L), host.Current!.BatchStatistics);
        var concurrent = await Task.WhenAll(levels.Select(l => Task.Run(() => pipeline.ProcessAsync(ScanInput.FromBytes("scans", $"{l}.png", Png(l)), CancellationToken.None))));
        var single = await Task.WhenAll(levels.Select(l => plain.ProcessAsync(ScanInput.FromBytes("scans", $"{l}.png", Png(l)), CancellationToken.None)));

        for (var i = 0; i < levels.Length; i++)
        {
            AssertSameProbabilities(single[i], concurrent[i]);
        }

        Assert.Equal(5 + levels.Length, host.Current.BatchStatistics.Images);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_request_that_is_the_only_one_in_progress_runs_on_the_idle_session_with_the_same_result(bool microBatching)
    {
        await TestModels.PublishAsync(_registry, "demo", "v1");
        var (host, pipeline) = Create(new ServingOptions { ModelName = "demo", ExecutionProvider = ExecutionProviderChoice.Cpu, MicroBatching = microBatching, IntraOpThreads = 1, IdleIntraOpThreads = 2, BatchWorkers = 2 });
        await using var disposeHost = host;
        var (plainHost, plain) = Create();
        await using var disposePlain = plainHost;

        foreach (var level in new byte[] { 0, 90, 200 })
        {
            var served = await pipeline.ProcessAsync(ScanInput.FromBytes("scans", $"{level}.png", Png(level)), CancellationToken.None);
            var reference = await plain.ProcessAsync(ScanInput.FromBytes("scans", $"{level}.png", Png(level)), CancellationToken.None);
            AssertSameProbabilities(reference, served);
        }

        Assert.True(host.Current!.Engine.HasIdleSession);
        Assert.Equal(3, host.Current.Engine.IdleRuns);

        // A batch is load: it runs on the throughput session.
        host.Current.Engine.Run(new float[2 * host.Current.Engine.ImageValues], 2);
        Assert.Equal(3, host.Current.Engine.IdleRuns);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public async Task Swapping_the_model_under_load_fails_no_request(double maxDelayMilliseconds)
    {
        await TestModels.PublishAsync(_registry, "demo", "v1");
        // Two batch workers: a swap must also wait for a batch that runs beside another (greedy: or for inline runs).
        var (host, pipeline) = Create(new ServingOptions { ModelName = "demo", ExecutionProvider = ExecutionProviderChoice.Cpu, MicroBatching = true, MaxBatchSize = 4, MaxBatchDelayMilliseconds = maxDelayMilliseconds, BatchWorkers = 2 });
        await using var disposeHost = host;
        await host.RefreshAsync(CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var png = Png(100);
        var seen = new System.Collections.Concurrent.ConcurrentBag<string>();
        var failures = 0;
        async Task WaitUntilServedAsync(string version)
        {
            // Under load the workers keep going; wait (bounded) until one of them was answered by this version.
            for (var i = 0; i < 500 && !seen.Contains(version); i++)
            {
                await Task.Delay(10);
            }
        }

        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var outcome = await pipeline.ProcessAsync(ScanInput.FromBytes("scans", $"{w}-{n++}.png", png), CancellationToken.None);
                    seen.Add(outcome.Result!.Model.Version);
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();

        await WaitUntilServedAsync("v1");
        for (var v = 2; v <= 4; v++)
        {
            await TestModels.PublishAsync(_registry, "demo", $"v{v}", scale: v);
            Assert.True(await host.RefreshAsync(CancellationToken.None));
            await WaitUntilServedAsync($"v{v}");
        }

        await stop.CancelAsync();
        await Task.WhenAll(workers);

        Assert.Equal(0, failures);
        Assert.Equal(["v1", "v2", "v3", "v4"], seen.Distinct().Order());
        Assert.Equal("v4", host.Current!.Manifest.Version);
    }

    [Fact]
    public async Task Without_a_promoted_model_the_pipeline_says_what_to_do()
    {
        var (host, pipeline) = Create();
        await using var disposeHost = host;

        var error = await Assert.ThrowsAsync<ModelRegistryException>(() => pipeline.ProcessAsync(ScanInput.FromBytes("scans", "a.png", Png(1)), CancellationToken.None));

        Assert.Contains("glcmmae publish", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_file_topic_writes_one_file_per_message_id()
    {
        await TestModels.PublishAsync(_registry, "demo", "v1");
        var (host, pipeline) = Create();
        await using var disposeHost = host;
        var publisher = new FileTopicPublisher(Path.Combine(_temp.Path, "topics"));
        var outcome = await pipeline.ProcessAsync(ScanInput.FromBytes("scans", "a.png", Png(5), "e1"), CancellationToken.None);
        var error = await pipeline.ProcessAsync(ScanInput.FromBytes("scans", "b.txt", new byte[] { 1, 2, 3 }, "e2"), CancellationToken.None);

        await publisher.PublishAsync([outcome, error, outcome]);
        await publisher.PublishAsync([outcome]);

        var results = Directory.GetFiles(Path.Combine(publisher.Root, Topics.Results));
        var result = JsonSerializer.Deserialize<ClassificationResult>(await File.ReadAllBytesAsync(Assert.Single(results)), ContractJson.Options)!;
        Assert.Equal(outcome.Result!.ResultId, result.ResultId);
        Assert.Single(Directory.GetFiles(Path.Combine(publisher.Root, Topics.Errors)));
    }

    private static void AssertSameProbabilities(ScanOutcome expected, ScanOutcome actual)
    {
        foreach (var label in TestModels.Labels)
        {
            Assert.Equal(expected.Result!.Prediction.Probabilities[label], actual.Result!.Prediction.Probabilities[label], 1e-5);
        }
    }
}
