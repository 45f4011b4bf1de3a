using System.CommandLine;
using GlcmMae.Trainer.Evaluation;
using GlcmMae.Trainer.Registry;
using GlcmMae.Trainer.Registry.ModelCards;

namespace GlcmMae.Trainer.Cli;

/// <summary>The options of every command that publishes (publish, retrain): policy, the champion/challenger gate, the model card's words, and model events.</summary>
internal sealed class PublishOptions
{
    private readonly Option<PromotionPolicy> _promote = new("--promote")
    {
        Description = "auto (the champion/challenger gate decides), always or never.",
        DefaultValueFactory = _ => PromotionPolicy.Auto,
    };

    private readonly Option<GateMetric> _metric = new("--gate-metric")
    {
        Description = "Figure the gate compares on the candidate's test split: balancedAccuracy, accuracy or macroAuroc.",
        DefaultValueFactory = _ => GateMetric.BalancedAccuracy,
    };

    private readonly Option<double> _tolerance = new("--gate-tolerance")
    {
        Description = "How much worse the candidate may be: promoted when the lower end of the 95% interval of (candidate - serving) is at least minus this.",
        DefaultValueFactory = _ => new GateOptions().Tolerance,
    };

    private readonly Option<int> _minimum = new("--gate-min-per-class")
    {
        Description = "Test scans each class needs before the gate decides; with fewer it refuses (promote by hand if you must).",
        DefaultValueFactory = _ => new GateOptions().MinimumPerClass,
    };

    private readonly Option<int> _resamples = new("--gate-resamples")
    {
        Description = "Paired bootstrap resamples of the gate.",
        DefaultValueFactory = _ => new GateOptions().Resamples,
    };

    private readonly Option<string> _intendedUse = new("--intended-use")
    {
        Description = "The model card's intended use.",
        DefaultValueFactory = _ => ModelCardText.DefaultIntendedUse,
    };

    private readonly Option<string> _outOfScope = new("--out-of-scope")
    {
        Description = "The model card's out-of-scope use.",
        DefaultValueFactory = _ => ModelCardText.DefaultOutOfScope,
    };

    private readonly Option<string[]> _limitations = new("--limitation")
    {
        Description = "A known limitation for the model card (repeatable); the card adds those its figures show.",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<ModelEventTarget> _events = CommonOptions.ModelEvents();

    /// <summary>The options, to add to a command.</summary>
    public IEnumerable<Option> All => [_promote, _metric, _tolerance, _minimum, _resamples, _intendedUse, _outOfScope, _limitations, _events];

    /// <summary>The settings the command line gave (validated).</summary>
    public PublishSettings Settings(ParseResult parseResult, string? dataSource)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        return new PublishSettings
        {
            Policy = parseResult.GetValue(_promote),
            Gate = new GateOptions
            {
                Metric = parseResult.GetValue(_metric),
                Tolerance = parseResult.GetValue(_tolerance),
                MinimumPerClass = parseResult.GetValue(_minimum),
                Resamples = parseResult.GetValue(_resamples),
            }.Validate(),
            Card = new ModelCardText
            {
                IntendedUse = parseResult.GetRequiredValue(_intendedUse),
                OutOfScope = parseResult.GetRequiredValue(_outOfScope),
                Limitations = parseResult.GetValue(_limitations) ?? [],
            },
            DataSource = dataSource,
        };
    }

    /// <summary>Where model events go.</summary>
    public ModelEventTarget Events(ParseResult parseResult) => parseResult.GetValue(_events);
}
