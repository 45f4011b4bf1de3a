using GlcmMae.Shared.Models;
using GlcmMae.Trainer.Export;

namespace GlcmMae.Trainer.Registry;

/// <summary>Publishes an exported model and applies the promotion policy.</summary>
internal static class Publisher
{
    /// <summary>Uploads the export (with its report) and promotes it when the policy and the gate allow.</summary>
    public static async Task<PublishResult> PublishAsync(ModelRegistry registry, ExportResult export, PromotionPolicy policy, string metric, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(export);
        var reports = export.ReportFolder is { } folder && Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), f => f)
            : null;
        await registry.PublishAsync(export.Manifest, export.OnnxPath, reports, cancellationToken).ConfigureAwait(false);
        var name = export.Manifest.Name;
        var current = await registry.GetCurrentAsync(name, cancellationToken).ConfigureAwait(false);
        var currentManifest = current is { } c ? await registry.GetManifestAsync(name, c.Current.Version, cancellationToken).ConfigureAwait(false) : null;
        var (promote, reason) = policy switch
        {
            PromotionPolicy.Always => (true, "promoted on request (--promote always)"),
            PromotionPolicy.Never => (false, "not promoted (--promote never)"),
            _ => PublishGate.Decide(export.Manifest, currentManifest, metric),
        };
        if (promote)
        {
            await registry.PromoteAsync(name, export.Manifest.Version, reason, cancellationToken).ConfigureAwait(false);
        }

        return new PublishResult(name, export.Manifest.Version, promote, reason, registry.Store.Location);
    }
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
internal sealed record PublishResult(string Name, string Version, bool Promoted, string Reason, string Store);
