namespace GlcmMae.Shared.Models;

/// <summary>
/// The candidate and the serving model (the champion) measured on the same images, the candidate's test split, through
/// the serving code; the difference's interval is a paired bootstrap over the images' groups (studies).
/// </summary>
public sealed record ChampionComparison
{
    /// <summary>The gate metric (e.g. balancedAccuracy).</summary>
    public required string Metric { get; init; }

    /// <summary>The champion's version.</summary>
    public required string ChampionVersion { get; init; }

    /// <summary>The candidate's figure.</summary>
    public required double Candidate { get; init; }

    /// <summary>The champion's figure on the same images.</summary>
    public required double Champion { get; init; }

    /// <summary>Candidate minus champion.</summary>
    public required double Difference { get; init; }

    /// <summary>Lower end of the difference's interval.</summary>
    public required double Lower { get; init; }

    /// <summary>Upper end of the difference's interval.</summary>
    public required double Upper { get; init; }

    /// <summary>The interval's coverage (e.g. 0.95).</summary>
    public required double Level { get; init; }

    /// <summary>How much worse the candidate may be (the lower end must not fall below minus this).</summary>
    public required double Tolerance { get; init; }

    /// <summary>Images both models were measured on.</summary>
    public required int Images { get; init; }

    /// <summary>Groups (studies) the bootstrap resampled.</summary>
    public required int Groups { get; init; }

    /// <summary>Bootstrap resamples.</summary>
    public required int Resamples { get; init; }

    /// <summary>Fingerprint of the images (content hashes and labels) both were measured on.</summary>
    public string? EvaluationSetFingerprint { get; init; }
}
