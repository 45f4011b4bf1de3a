using System.Diagnostics.Metrics;
using GlcmMae.Shared.Diagnostics;
using GlcmMae.Trainer.Evaluation;
using GlcmMae.Trainer.Training;

namespace GlcmMae.Trainer.Diagnostics;

/// <summary>
/// What a training run reports through the GlcmMae meter (and so to Azure Monitor from the trainer job), besides its
/// metrics.jsonl: each optimiser step's loss by term and its throughput, and each retrain's publication outcome.
/// </summary>
internal static class TrainingTelemetry
{
    public static readonly Histogram<double> Loss = GlcmMaeTelemetry.Meter.CreateHistogram<double>("glcmmae.training.loss", description: "Pretraining loss per logged optimiser step, by term: total, mse, glcm, ssim, features.");

    public static readonly Histogram<double> ImagesPerSecond = GlcmMaeTelemetry.Meter.CreateHistogram<double>("glcmmae.training.images_per_second", unit: "{image}/s", description: "Pretraining throughput per logged optimiser step.");

    public static readonly Counter<long> Published = GlcmMaeTelemetry.Meter.CreateCounter<long>("glcmmae.retrain.published", description: "Models published by retrain, by whether the publish gate promoted them.");

    public static void Step(StepMetrics metrics, PretrainStage stage)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (Loss.Enabled)
        {
            var stageTag = new KeyValuePair<string, object?>("stage", stage.ToString().ToLowerInvariant());
            foreach (var (term, value) in new[] { ("total", metrics.Loss), ("mse", metrics.Mse), ("glcm", metrics.Glcm), ("ssim", metrics.Ssim), ("features", metrics.Features) })
            {
                Loss.Record(value, stageTag, new KeyValuePair<string, object?>("term", term));
            }
        }

        ImagesPerSecond.Record(metrics.ImagesPerSecond, new KeyValuePair<string, object?>("stage", stage.ToString().ToLowerInvariant()));
    }

    public static void Publication(string model, bool promoted) =>
        Published.Add(1, new KeyValuePair<string, object?>("model.name", model), new KeyValuePair<string, object?>("promoted", promoted));
}
