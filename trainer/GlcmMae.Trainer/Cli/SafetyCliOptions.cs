using System.CommandLine;
using GlcmMae.Shared.Safety;
using GlcmMae.Trainer.Safety;

namespace GlcmMae.Trainer.Cli;

/// <summary>The options of the safety fit export runs on the validation split (export, publish, retrain).</summary>
internal sealed class SafetyCliOptions
{
    private readonly Option<string?> _positive;

    private readonly Option<OperatingRule> _rule = new("--operating-point")
    {
        Description = "How the positive class's decision threshold is chosen on validation: sensitivity (the most specific threshold reaching --target-sensitivity) or youden.",
        DefaultValueFactory = _ => OperatingRule.Sensitivity,
    };

    private readonly Option<double> _sensitivity = new("--target-sensitivity")
    {
        Description = "Validation sensitivity the operating point must reach.",
        DefaultValueFactory = _ => new SafetyOptions().TargetSensitivity,
    };

    private readonly Option<double> _keep = new("--abstain-keep")
    {
        Description = "Share of in-distribution validation scans the out-of-distribution threshold keeps; scans scoring above it get no label (scan-errors code Abstained).",
        DefaultValueFactory = _ => new SafetyOptions().KeepRate,
    };

    private readonly Option<OodScoreKind> _score = new("--ood-score")
    {
        Description = "Out-of-distribution score serving abstains on: TextureDistance (Mahalanobis distance of the scan's intensity and GLCM statistics from the training scans'), Energy (-logsumexp of the logits) or MaxProbability (docs/bench-ood.md compares them).",
        DefaultValueFactory = _ => new SafetyOptions().OodScore,
    };

    /// <summary>Creates the options; <paramref name="positive"/> is the command's own --positive when it has one (retrain), else a new one.</summary>
    public SafetyCliOptions(Option<string?>? positive = null)
    {
        _positive = positive ?? new Option<string?>("--positive")
        {
            Description = "Class a positive decision names: serving then says positive or negative at the operating point chosen on validation.",
        };
        _sensitivity.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is < 0 or > 1)
            {
                r.AddError("--target-sensitivity must be between 0 and 1.");
            }
        });
        _keep.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is < 0.5 or > 1)
            {
                r.AddError("--abstain-keep must be between 0.5 and 1 (the share of validation scans kept).");
            }
        });
    }

    /// <summary>The options to add to a command (without a --positive it already has).</summary>
    public IEnumerable<Option> All(bool includePositive = true) =>
        includePositive ? [_positive, _rule, _sensitivity, _keep, _score] : [_rule, _sensitivity, _keep, _score];

    /// <summary>What was asked for.</summary>
    public SafetyOptions Read(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        return new SafetyOptions
        {
            PositiveLabel = parseResult.GetValue(_positive),
            Rule = parseResult.GetValue(_rule),
            TargetSensitivity = parseResult.GetValue(_sensitivity),
            KeepRate = parseResult.GetValue(_keep),
            OodScore = parseResult.GetValue(_score),
        };
    }
}
