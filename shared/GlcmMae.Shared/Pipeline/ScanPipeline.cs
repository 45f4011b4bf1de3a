using System.Diagnostics;
using System.Security.Cryptography;
using GlcmMae.Shared.Contracts;
using GlcmMae.Shared.Diagnostics;
using GlcmMae.Shared.Explain;
using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Shared.Inference;
using GlcmMae.Shared.Safety;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GlcmMae.Shared.Pipeline;

/// <summary>
/// Scan in, result or typed error out: read (size limit), sniff and decode, preprocess per the current model's
/// manifest, infer, describe. Bad scans become <see cref="ScanError"/>s; infrastructure failures throw.
/// </summary>
public sealed partial class ScanPipeline(ModelHost models, IOptions<ServingOptions> options, ILogger<ScanPipeline> logger, IOptions<DicomReaderOptions>? readerOptions = null, IOptions<FrameOptions>? frameOptions = null)
{
    /// <summary>Error code of a scan outside what the model was trained on.</summary>
    public const string OutOfScope = "OutOfScope";

    /// <summary>Error code of a scan the model's out-of-distribution score refused: unlike its training scans, so no label.</summary>
    public const string Abstained = "Abstained";

    // The reader's limits (Imaging:Dicom), with the file limit no larger than the host's own scan limit.
    private readonly DicomReaderOptions _reader = (readerOptions?.Value ?? DicomReaderOptions.Default).WithFileLimit(options.Value.MaxScanBytes);

    private readonly FrameOptions _frames = frameOptions?.Value ?? new FrameOptions();

    /// <summary>Classifies one scan.</summary>
    /// <remarks>
    /// Traced as one <c>scan.classify</c> activity (tagged with the event id that announced the scan, the model version
    /// and the outcome; never the blob name, which can carry patient names) with a child per stage: <c>scan.read</c>,
    /// <c>scan.decode</c>, <c>scan.preprocess</c>, <c>scan.inference</c>. The outcome carries the activity's id, which
    /// the published message carries as Diagnostic-Id.
    /// </remarks>
    public async Task<ScanOutcome> ProcessAsync(ScanInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var activity = GlcmMaeTelemetry.ActivitySource.StartActivity("scan.classify");
        activity?.SetTag("glcmmae.event.id", input.CorrelationId);
        var outcome = await ClassifyAsync(input, cancellationToken).ConfigureAwait(false);
        if (activity is not null)
        {
            activity.SetTag("glcmmae.model.version", outcome.Result?.Model.Version ?? outcome.Error?.ModelVersion);
            activity.SetTag("glcmmae.outcome", outcome.Result?.Prediction.Label ?? outcome.Error!.Code);
            if (outcome.Error is { } error)
            {
                activity.SetStatus(ActivityStatusCode.Error, error.Code);
            }

            outcome = outcome with { TraceParent = activity.Id };
        }

        return outcome;
    }

    private async Task<ScanOutcome> ClassifyAsync(ScanInput input, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        using var lease = await models.AcquireAsync(cancellationToken).ConfigureAwait(false);
        var model = lease.Model;
        var scan = new ScanReference { Container = input.Container, BlobName = input.BlobName, ETag = input.ETag };
        var id = MessageIds.For(input.BlobUri, input.ETag, model.Manifest.Version);
        var read = Stopwatch.StartNew();
        ReadOnlyMemory<byte> bytes;
        using (var stage = GlcmMaeTelemetry.ActivitySource.StartActivity("scan.read"))
        {
            try
            {
                if (input.Content is { } content)
                {
                    // A stream is limited as it is read; content already in memory is limited here.
                    StreamReading.RequireWithinLimit(content.Length, options.Value.MaxScanBytes, "scan");
                    bytes = content;
                }
                else
                {
                    bytes = await ReadAsync(input, cancellationToken).ConfigureAwait(false);
                }

                stage?.SetTag("glcmmae.scan.bytes", bytes.Length);
            }
            catch (ImageTooLargeException exception)
            {
                stage?.SetStatus(ActivityStatusCode.Error, exception.ErrorCode);
                return Failed(input, scan, id, exception.ErrorCode, exception.Message, model);
            }
        }

        var readMs = read.Elapsed.TotalMilliseconds;
        scan = scan with { Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes.Span)) };
        try
        {
            var decode = Stopwatch.StartNew();
            ScanImage[] images;
            IReadOnlyList<int> frames;
            int framesInScan;
            string? patientId;
            using (var stage = GlcmMaeTelemetry.ActivitySource.StartActivity("scan.decode"))
            {
                try
                {
                    var document = ScanDocument.Open(bytes, _reader);
                    var metadata = document.Metadata;
                    patientId = document.Dicom?.Dataset.GetString(DicomTags.PatientId) is { Length: > 0 } patient ? patient.Trim() : null;
                    framesInScan = metadata.Frames;
                    frames = _frames.Mode == FrameMode.All && framesInScan > 1 ? _frames.Sample(framesInScan) : [model.Preprocessor.SelectFrame(framesInScan)];
                    scan = scan with
                    {
                        Format = metadata.Format.ToString(),
                        StudyInstanceUid = metadata.StudyInstanceUid,
                        SeriesInstanceUid = metadata.SeriesInstanceUid,
                        SopInstanceUid = metadata.SopInstanceUid,
                        Modality = metadata.Modality,
                        FrameIndex = frames.Count == 1 ? frames[0] : null,
                    };
                    stage?.SetTag("glcmmae.scan.format", scan.Format);
                    stage?.SetTag("glcmmae.scan.transfer_syntax", metadata.TransferSyntaxUid);
                    stage?.SetTag("glcmmae.scan.frames", frames.Count);
                    if (ScanScope.Check(model.Manifest.Scope, metadata, options.Value.Scope) is { } outside)
                    {
                        // Not what the model was trained on: no label, whatever its probabilities would say.
                        stage?.SetStatus(ActivityStatusCode.Error, OutOfScope);
                        return Failed(input, scan, id, OutOfScope, "Out of the model's scope: " + outside + ".", model);
                    }

                    // At most Frames:MaxFrames frames, each within the reader's size limits, are held at once.
                    images = frames.Select(frame => model.Preprocessor.DecodeForRecycling(document, frame)).ToArray();
                }
                catch (ImagingException exception)
                {
                    stage?.SetStatus(ActivityStatusCode.Error, exception.ErrorCode);
                    throw;
                }
            }

            var decodeMs = decode.Elapsed.TotalMilliseconds;
            var preprocess = Stopwatch.StartNew();
            float[][] pixels;
            using (GlcmMaeTelemetry.ActivitySource.StartActivity("scan.preprocess"))
            {
                pixels = images.Select(model.Preprocessor.RunPooled).ToArray();
            }

            var preprocessMs = preprocess.Elapsed.TotalMilliseconds;
            // The texture signature of the model's own input, for the texture-distance score (before the pixels go back to the pool).
            var signatures = pixels.Select(p => model.Manifest.Safety?.Texture is null ? null : TextureSignature.Compute(p, model.Preprocessor.Spec.CropSize, model.Preprocessor.Spec.CropSize)).ToArray();
            BatchedInference[] inferences;
            using (var stage = GlcmMaeTelemetry.ActivitySource.StartActivity("scan.inference"))
            {
                // Submitted together, a loop's frames share micro-batches where serving batches.
                inferences = await Task.WhenAll(pixels.Select(p => model.InferAsync(p, cancellationToken))).ConfigureAwait(false);
                stage?.SetTag("glcmmae.inference.provider", model.Engine.ExecutionProvider);
            }

            var labels = model.Manifest.Labels;
            var safety = options.Value.Abstain ? model.Manifest.Safety : model.Manifest.Safety is { } profile ? profile with { Abstention = null } : null;
            var frameAssessments = inferences.Select((inference, f) => SafetyAssessor.Assess(inference.Scores, model.Engine.ScoresAreLogits, safety, labels, signatures[f])).ToArray();
            var (assessed, frameRecord, shownAt) = frames.Count == 1
                ? (frameAssessments[0], null, 0)
                : FrameCombiner.Combine(frames, frameAssessments, framesInScan, safety, labels, _frames);
            var shown = pixels[shownAt];
            Explanation? explanation = null;
            if (options.Value.Explain && !assessed.Abstained)
            {
                // The class the answer names: the positive class when the decision is positive, else the arg-max.
                var explained = assessed.Positive == true ? labels.ToList().IndexOf(safety!.OperatingPoint!.PositiveLabel) : assessed.Best;
                using var stage = GlcmMaeTelemetry.ActivitySource.StartActivity("scan.explain");
                var map = OcclusionExplainer.Explain(model.Engine, shown, explained, safety?.Calibration.Temperature ?? 1);
                explanation = new Explanation(map, ExplanationImage.Png(shown, map));
            }

            // Read by now (the batcher copies it before running); had inference failed or been cancelled, a queued
            // request might still hold it, so it would be left to the collector instead.
            foreach (var frame in pixels)
            {
                FramePool.Shared.Return(frame);
            }

            var assessment = new ScanAssessment
            {
                OodScore = assessed.OodScore,
                OodScoreKind = assessed.OodScoreKind.ToString(),
                Scores = assessed.Scores.ToDictionary(p => p.Key.ToString(), p => p.Value),
                OodThreshold = safety?.Abstention?.Threshold,
                Abstained = assessed.Abstained,
                Temperature = safety?.Calibration.Temperature ?? 1,
                Decision = assessed.Positive switch { true => "positive", false => "negative", null => null },
                PositiveLabel = safety?.OperatingPoint?.PositiveLabel,
                DecisionThreshold = safety?.OperatingPoint?.Threshold,
            };
            if (assessed.Abstained)
            {
                // Unlike anything the model was trained on: a refusal that says why, never a label a consumer could act on.
                var abstained = Failed(input, scan, id, Abstained, string.Create(
                    System.Globalization.CultureInfo.InvariantCulture,
                    $"The scan is unlike the scans the model was trained on ({assessment.OodScoreKind} score {assessed.OodScore:G4} above the threshold {assessment.OodThreshold:G4}, which keeps {safety!.Abstention!.TargetKeepRate:P0} of its validation scans{(frames.Count > 1 ? $"; {frameRecord!.Frames.Count(f => f.Abstained)} of {frames.Count} frames" : string.Empty)}); no label is given."), model);
                return abstained with { Error = abstained.Error! with { Assessment = assessment } };
            }

            var best = assessed.Best;
            var result = new ClassificationResult
            {
                ResultId = id,
                Scan = scan,
                Model = new ModelReference(model.Manifest.Name, model.Manifest.Version, model.Manifest.Sha256, model.Manifest.PreprocessingHash, model.Engine.ExecutionProvider),
                Prediction = new PredictionResult(labels[best], best, labels.Select((l, c) => (l, c)).ToDictionary(t => t.l, t => assessed.Probabilities[t.c])),
                Assessment = assessment,
                Frames = frameRecord,
                Timings = new StageTimings
                {
                    Read = readMs,
                    Decode = decodeMs,
                    Preprocess = preprocessMs,
                    Queue = inferences.Max(i => i.QueueMilliseconds),
                    Inference = inferences.Sum(i => i.InferenceMilliseconds),
                    Total = total.Elapsed.TotalMilliseconds,
                },
                ProcessedAt = DateTimeOffset.UtcNow,
            };
            LogClassified(logger, id, result.Prediction.Label, result.Timings.Total);
            ServingMetrics.Classified.Add(1, new KeyValuePair<string, object?>("model.version", model.Manifest.Version), new KeyValuePair<string, object?>("execution.provider", model.Engine.ExecutionProvider));
            ServingMetrics.Duration.Record(result.Timings.Total);
            RecordStages(result.Timings);
            return new ScanOutcome(result, null, input.CorrelationId) { Explanation = explanation, PatientId = patientId };
        }
        catch (ImagingException exception)
        {
            // The scan itself is bad: report it (the messages never quote patient attributes) and move on.
            return Failed(input, scan, id, exception.ErrorCode, exception.Message, model);
        }
    }

    private static void RecordStages(StageTimings timings)
    {
        if (!ServingMetrics.StageDuration.Enabled)
        {
            return;
        }

        ServingMetrics.StageDuration.Record(timings.Read, new KeyValuePair<string, object?>("stage", "read"));
        ServingMetrics.StageDuration.Record(timings.Decode, new KeyValuePair<string, object?>("stage", "decode"));
        ServingMetrics.StageDuration.Record(timings.Preprocess, new KeyValuePair<string, object?>("stage", "preprocess"));
        ServingMetrics.StageDuration.Record(timings.Queue, new KeyValuePair<string, object?>("stage", "queue"));
        ServingMetrics.StageDuration.Record(timings.Inference, new KeyValuePair<string, object?>("stage", "inference"));
    }

    private async Task<byte[]> ReadAsync(ScanInput input, CancellationToken cancellationToken)
    {
        var stream = await input.Open(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await StreamReading.ReadAllAsync(stream, options.Value.MaxScanBytes, "scan", cancellationToken).ConfigureAwait(false);
        }
    }

    private ScanOutcome Failed(ScanInput input, ScanReference scan, string id, string code, string message, ServingModel model)
    {
        LogRejected(logger, id, code);
        ServingMetrics.Rejected.Add(1, new KeyValuePair<string, object?>("error.code", code));
        var error = new ScanError { ErrorId = id, Scan = scan, Code = code, Message = message, ModelVersion = model.Manifest.Version, ProcessedAt = DateTimeOffset.UtcNow };
        return new ScanOutcome(null, error, input.CorrelationId);
    }

    // Logs name a scan by its result id (the message id of its result or error: SHA-256 of blob URI, ETag and model
    // version), never by its blob name, which often carries a patient's name or record number.
    [LoggerMessage(Level = LogLevel.Information, Message = "Classified scan {ResultId} as {Label} in {Milliseconds:F1} ms")]
    private static partial void LogClassified(ILogger logger, string resultId, string label, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected scan {ResultId}: {Code}")]
    private static partial void LogRejected(ILogger logger, string resultId, string code);
}
