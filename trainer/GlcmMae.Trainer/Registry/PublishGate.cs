using System.Globalization;
using GlcmMae.Shared.Models;

namespace GlcmMae.Trainer.Registry;

/// <summary>Decides whether a newly published model may replace the current one: not worse on the same test set.</summary>
internal static class PublishGate
{
    /// <summary>Promote or not, and why (in words for the log and current.json).</summary>
    public static (bool Promote, string Reason) Decide(ModelManifest candidate, ModelManifest? current, string metric)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (current is null)
        {
            return (true, "first model of this name");
        }

        if (!TryTest(candidate, metric, out var candidateValue))
        {
            return (false, $"the new model has no test {metric} to compare; promote it by hand (glcmmae models promote) if you trust it");
        }

        if (!TryTest(current, metric, out var currentValue))
        {
            return (true, $"the current model {current.Version} has no test {metric}");
        }

        if (candidate.EvaluationSetFingerprint is null || candidate.EvaluationSetFingerprint != current.EvaluationSetFingerprint)
        {
            return (false, $"the two models were tested on different test sets, so their {metric} cannot be compared; promote by hand if intended");
        }

        return candidateValue >= currentValue
            ? (true, string.Create(CultureInfo.InvariantCulture, $"test {metric} {candidateValue:F4} >= {currentValue:F4} of {current.Version}"))
            : (false, string.Create(CultureInfo.InvariantCulture, $"test {metric} {candidateValue:F4} < {currentValue:F4} of the current {current.Version}"));
    }

    private static bool TryTest(ModelManifest manifest, string metric, out double value)
    {
        value = 0;
        return manifest.Metrics.TryGetValue("test", out var test) && test.TryGetValue(metric, out value);
    }
}
