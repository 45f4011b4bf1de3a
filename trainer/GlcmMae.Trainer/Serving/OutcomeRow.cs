using System.Globalization;
using GlcmMae.Shared.Pipeline;

namespace GlcmMae.Trainer.Serving;

/// <summary>One line of the results table: scan, label (or error code), confidence, milliseconds.</summary>
internal sealed record OutcomeRow(string Scan, string Outcome, double? Confidence, double? Milliseconds, string? Detail)
{
    public static OutcomeRow From(ScanOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Result is { } result)
        {
            // The decision at the operating point and where the explanation went, when there are any.
            var detail = string.Join("; ", new[]
            {
                result.Assessment?.Decision is { } decision ? $"{decision} for {result.Assessment.PositiveLabel}" : null,
                result.Explanation is { } explanation ? $"explained in {explanation}" : null,
            }.Where(d => d is not null));
            return new OutcomeRow(result.Scan.BlobName, result.Prediction.Label, result.Prediction.Probabilities[result.Prediction.Label], result.Timings.Total, detail.Length == 0 ? null : detail);
        }

        return new OutcomeRow(outcome.Error!.Scan.BlobName, "error: " + outcome.Error.Code, null, null, outcome.Error.Message);
    }

    public string[] Cells() =>
    [
        Scan,
        Outcome,
        Confidence?.ToString("F3", CultureInfo.InvariantCulture) ?? string.Empty,
        Milliseconds?.ToString("F1", CultureInfo.InvariantCulture) ?? string.Empty,
        Detail ?? string.Empty,
    ];
}
