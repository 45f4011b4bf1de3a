namespace GlcmMae.Shared.Contracts;

/// <summary>One instance (scan) of a study as its study result lists it: the id of the message published for it and what it said.</summary>
public sealed record StudyInstance
{
    /// <summary>The instance's <c>scan-results</c> result id or <c>scan-errors</c> error id.</summary>
    public required string ResultId { get; init; }

    /// <summary>Null for a classified instance; the error code (<c>Abstained</c>, <c>OutOfScope</c>, <c>CorruptFile</c>, ...) otherwise.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>SOP Instance UID (pseudonymised when <c>Privacy:Mode=Pseudonymise</c>).</summary>
    public string? SopInstanceUid { get; init; }

    /// <summary>Series Instance UID (pseudonymised likewise).</summary>
    public string? SeriesInstanceUid { get; init; }

    /// <summary>Modality, e.g. US.</summary>
    public string? Modality { get; init; }

    /// <summary>The model that classified it.</summary>
    public string? ModelName { get; init; }

    /// <summary>That model's version.</summary>
    public string? ModelVersion { get; init; }

    /// <summary>The instance's label (null for an error).</summary>
    public string? Label { get; init; }

    /// <summary>Its calibrated probabilities by label (null for an error).</summary>
    public IReadOnlyDictionary<string, double>? Probabilities { get; init; }

    /// <summary>Its decision at the model's operating point.</summary>
    public string? Decision { get; init; }

    /// <summary>The class a positive decision names.</summary>
    public string? PositiveLabel { get; init; }

    /// <summary>The operating point's threshold on <see cref="PositiveLabel"/>'s probability.</summary>
    public double? DecisionThreshold { get; init; }

    /// <summary>When the instance was processed (UTC).</summary>
    public required DateTimeOffset ProcessedAt { get; init; }

    /// <summary>The instance as its study records it, from the outcome published for it.</summary>
    public static StudyInstance From(ClassificationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new StudyInstance
        {
            ResultId = result.ResultId,
            SopInstanceUid = result.Scan.SopInstanceUid,
            SeriesInstanceUid = result.Scan.SeriesInstanceUid,
            Modality = result.Scan.Modality,
            ModelName = result.Model.Name,
            ModelVersion = result.Model.Version,
            Label = result.Prediction.Label,
            Probabilities = result.Prediction.Probabilities,
            Decision = result.Assessment?.Decision,
            PositiveLabel = result.Assessment?.PositiveLabel,
            DecisionThreshold = result.Assessment?.DecisionThreshold,
            ProcessedAt = result.ProcessedAt,
        };
    }

    /// <summary>An instance that could not be classified.</summary>
    public static StudyInstance From(ScanError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new StudyInstance
        {
            ResultId = error.ErrorId,
            ErrorCode = error.Code,
            SopInstanceUid = error.Scan.SopInstanceUid,
            SeriesInstanceUid = error.Scan.SeriesInstanceUid,
            Modality = error.Scan.Modality,
            ModelVersion = error.ModelVersion,
            ProcessedAt = error.ProcessedAt,
        };
    }
}
