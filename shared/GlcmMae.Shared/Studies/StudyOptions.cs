using System.ComponentModel.DataAnnotations;
using GlcmMae.Shared.Aggregation;

namespace GlcmMae.Shared.Studies;

/// <summary>How instance results become one result per study (section "Studies").</summary>
public sealed record StudyOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Studies";

    /// <summary>Blob metadata an uploader sets to the study's instance count, so the study completes when the last one is classified instead of after the quiet period.</summary>
    public const string ExpectedInstancesMetadata = "studyinstances";

    /// <summary>Off (the default of local tools) or Table (the deployment's setting).</summary>
    public StudyStore Store { get; set; } = StudyStore.Off;

    /// <summary>The table holding one partition per study.</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string TableName { get; set; } = "studies";

    /// <summary>A study with no new instance for this long is complete, in seconds.</summary>
    [Range(1, 7 * 86400)]
    public double QuietPeriodSeconds { get; set; } = 300;

    /// <summary>A claimed study whose result was not marked published within this long is published again (same message id), in seconds.</summary>
    [Range(10, 86400)]
    public double ClaimTimeoutSeconds { get; set; } = 300;

    /// <summary>How the classified instances' probabilities combine into the study's.</summary>
    public AggregationRule Aggregation { get; set; } = AggregationRule.Mean;

    /// <summary>k of <see cref="AggregationRule.TopKMean"/>.</summary>
    [Range(1, 100000)]
    public int TopK { get; set; } = 3;

    /// <summary>The class the ranking rules rank instances by when the instances' model has no operating point.</summary>
    public string? PositiveLabel { get; set; }

    /// <summary>The quiet period.</summary>
    public TimeSpan QuietPeriod => TimeSpan.FromSeconds(QuietPeriodSeconds);

    /// <summary>The claim timeout.</summary>
    public TimeSpan ClaimTimeout => TimeSpan.FromSeconds(ClaimTimeoutSeconds);
}
