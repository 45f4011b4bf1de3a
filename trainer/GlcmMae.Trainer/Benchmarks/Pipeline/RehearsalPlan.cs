using GlcmMae.Shared.Pipeline;

namespace GlcmMae.Trainer.Benchmarks.Pipeline;

/// <summary>Which scans a rehearsal uploads and how each event is written: decided up front from the seed, so runs repeat.</summary>
internal sealed record RehearsalPlan(IReadOnlyList<RehearsalPlan.Scan> Scans)
{
    /// <summary>Draws the plan: damaged files and repeated events at their shares (at least one each when their fault is on), encodings and schemas mixed.</summary>
    public static RehearsalPlan Create(PipelineRehearsalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var random = new Random(options.Seed);
        var corrupt = Pick(random, options.Scans, options.Faults.HasFlag(PipelineFaults.CorruptScans) ? options.CorruptShare : 0);
        var repeat = Pick(random, options.Scans, options.Faults.HasFlag(PipelineFaults.DuplicateEvents) ? options.DuplicateShare : 0);
        var base64 = Pick(random, options.Scans, options.Base64Share, atLeastOne: false);
        var scans = Enumerable.Range(0, options.Scans).Select(i => new Scan(
            i,
            $"rehearsal/scan-{i:D6}.png",
            corrupt.Contains(i),
            repeat.Contains(i),
            base64.Contains(i) ? ScanEventEncoding.Base64 : ScanEventEncoding.Plain,
            i % 2 == 0 ? ScanEventSchema.EventGrid : ScanEventSchema.CloudEvents)).ToList();
        return new RehearsalPlan(scans);
    }

    private static HashSet<int> Pick(Random random, int count, double share, bool atLeastOne = true)
    {
        if (share <= 0 || count == 0)
        {
            return [];
        }

        var wanted = Math.Min(count, Math.Max(atLeastOne ? 1 : 0, (int)Math.Round(count * share)));
        return [.. Enumerable.Range(0, count).OrderBy(_ => random.Next()).Take(wanted)];
    }

    /// <summary>One scan: its index, blob, whether it is damaged, whether its event is sent twice, and the event's encoding and schema.</summary>
    internal sealed record Scan(int Index, string BlobName, bool Corrupt, bool Repeat, ScanEventEncoding Encoding, ScanEventSchema Schema);
}
