using GlcmMae.Shared.Contracts;
using GlcmMae.Shared.Messaging;
using GlcmMae.Shared.Models;
using GlcmMae.Trainer.Data;
using GlcmMae.Trainer.Export;
using GlcmMae.Trainer.Registry.ModelCards;

namespace GlcmMae.Trainer.Registry;

/// <summary>Publishes an exported model with its lineage, lets the policy or the champion/challenger gate decide, writes the model card, records the decision and announces it.</summary>
internal static class Publisher
{
    /// <summary>Who decides when the publish gate does.</summary>
    public const string GateActor = "publish gate";

    /// <summary>Publishes, decides, writes <c>card.json</c>/<c>card.md</c>, promotes or records the refusal in <c>current.json</c>, and sends the model event.</summary>
    /// <remarks>
    /// The registry is the record: the event follows it. When the event cannot be sent the command fails with a message
    /// saying the decision stands, and the event's id is deterministic, so sending it again cannot duplicate it.
    /// </remarks>
    public static async Task<PublishResult> PublishAsync(ModelRegistry registry, ExportResult export, PublishSettings settings, IModelEventPublisher? events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(export);
        ArgumentNullException.ThrowIfNull(settings);
        var reports = export.ReportFolder is { } folder && Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), f => f)
            : null;
        var lineagePath = Path.Combine(export.RunFolder, DatasetSnapshot.FileName);
        var attachments = new Dictionary<string, string>();
        if (File.Exists(lineagePath))
        {
            attachments[DatasetSnapshot.FileName] = lineagePath;
        }

        if (settings.PretrainingCheckpoint is { } checkpoint)
        {
            foreach (var (relative, file) in ChampionPretraining.Attachments(checkpoint))
            {
                attachments[relative] = file;
            }
        }

        await registry.PublishAsync(export.Manifest, export.OnnxPath, reports, attachments, cancellationToken).ConfigureAwait(false);

        var manifest = export.Manifest;
        var name = manifest.Name;
        var decision = settings.Policy switch
        {
            PromotionPolicy.Always => new GateDecision(true, GateVerdict.Policy, "promoted on request (--promote always)"),
            PromotionPolicy.Never => new GateDecision(false, GateVerdict.Policy, "not promoted on request (--promote never)"),
            _ => await ChampionChallengerGate.DecideAsync(registry, manifest, export.Lineage, export.DatasetRoot, settings.Gate, cancellationToken).ConfigureAwait(false),
        };

        var card = ModelCard.Build(manifest, export.Lineage, export.Evaluation, decision, settings.Card, settings.DataSource);
        await registry.AttachAsync(name, manifest.Version, ModelCard.JsonFile, card.ToJsonBytes(), cancellationToken).ConfigureAwait(false);
        await registry.AttachAsync(name, manifest.Version, ModelCard.MarkdownFile, System.Text.Encoding.UTF8.GetBytes(ModelCardMarkdown.Render(card)), cancellationToken).ConfigureAwait(false);

        var by = decision.Verdict == GateVerdict.Policy ? settings.By : GateActor;
        var note = new PromotionNote(decision.Reason, by, decision.Comparison);
        var before = (await registry.GetCurrentAsync(name, cancellationToken).ConfigureAwait(false))?.Current;
        ModelEvent? announced = null;
        if (decision.Promote)
        {
            var after = await registry.PromoteAsync(name, manifest.Version, note, cancellationToken).ConfigureAwait(false);
            announced = ModelEvent.From(name, after.History[^1], after.Version, before?.Version);
        }
        else if (await registry.RecordRefusalAsync(name, manifest.Version, note, cancellationToken).ConfigureAwait(false))
        {
            var after = (await registry.GetCurrentAsync(name, cancellationToken).ConfigureAwait(false))!.Value.Current;
            announced = ModelEvent.From(name, after.History[^1], after.Version, after.Version);
        }

        if (announced is not null && events is not null)
        {
            await AnnounceAsync(events, announced, cancellationToken).ConfigureAwait(false);
        }

        return new PublishResult(name, manifest.Version, decision.Promote, decision.Verdict, decision.Reason, registry.Store.Location, decision.Comparison);
    }

    /// <summary>Sends a model event; a failure says that the registry's decision stands.</summary>
    public static async Task AnnounceAsync(IModelEventPublisher events, ModelEvent modelEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(modelEvent);
        try
        {
            await events.PublishAsync(modelEvent, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is Azure.Messaging.ServiceBus.ServiceBusException or IOException or UnauthorizedAccessException or Azure.Identity.AuthenticationFailedException)
        {
            throw new TrainingException(
                "ModelEventNotSent",
                $"{modelEvent.Name} {modelEvent.Version} was {modelEvent.Decision} in the registry (current.json records it), but the model-events message could not be sent: {exception.Message}. Serving follows the registry; tell the event's consumers, or fix the topic's access and run the command again.");
        }
    }
}

/// <summary>How publishing decides and what the card says.</summary>
internal sealed record PublishSettings
{
    /// <summary>Gate, always or never.</summary>
    public PromotionPolicy Policy { get; init; } = PromotionPolicy.Auto;

    /// <summary>The gate's metric, tolerance and minimum.</summary>
    public GateOptions Gate { get; init; } = new();

    /// <summary>The card's intended use, out-of-scope use and limitations.</summary>
    public ModelCardText Card { get; init; } = new();

    /// <summary>Who publishes (recorded when the policy, not the gate, decides).</summary>
    public string By { get; init; } = Environment.UserName;

    /// <summary>The dataset address, for the card.</summary>
    public string? DataSource { get; init; }

    /// <summary>The pretraining checkpoint folder the model was fine-tuned from, stored with it for <c>retrain --from-champion</c>.</summary>
    public string? PretrainingCheckpoint { get; init; }
}

/// <summary>When publishing promotes.</summary>
internal enum PromotionPolicy
{
    /// <summary>Only if the publish gate passes.</summary>
    Auto,

    /// <summary>Always.</summary>
    Always,

    /// <summary>Never (publish only).</summary>
    Never,
}

/// <summary>What publishing did.</summary>
internal sealed record PublishResult(string Name, string Version, bool Promoted, GateVerdict Verdict, string Reason, string Store, ChampionComparison? Comparison);
