using GlcmMae.Shared.Inference;
namespace GlcmMae.Trainer.Benchmarks.Pipeline;

/// <summary>What <c>glcmmae bench pipeline</c> runs: how many scans, how many queue receivers, which faults.</summary>
internal sealed record PipelineRehearsalOptions
{
    /// <summary>Distinct scans uploaded.</summary>
    public int Scans { get; init; } = 200;

    /// <summary>Queue receivers, each taking host.json's batch of messages at a time, in one serving process.</summary>
    public int Consumers { get; init; } = 2;

    /// <summary>Model preset served (an untrained classifier of that architecture).</summary>
    public string Preset { get; init; } = "tiny";

    /// <summary>Side of the square PNG scans uploaded.</summary>
    public int ScanSize { get; init; } = 256;

    /// <summary>Scans uploaded per second (0: as fast as four uploaders go, a backlog the receivers drain).</summary>
    public double Rate { get; init; }

    /// <summary>The faults injected.</summary>
    public PipelineFaults Faults { get; init; } = PipelineFaults.All;

    /// <summary>Share of uploads that are damaged files (at least one when <see cref="PipelineFaults.CorruptScans"/> is on).</summary>
    public double CorruptShare { get; init; } = 0.01;

    /// <summary>Share of events delivered twice (at least one when <see cref="PipelineFaults.DuplicateEvents"/> is on).</summary>
    public double DuplicateShare { get; init; } = 0.01;

    /// <summary>Share of events written base64-encoded rather than as plain JSON.</summary>
    public double Base64Share { get; init; } = 0.5;

    /// <summary>How long the broker stays down.</summary>
    public TimeSpan BrokerOutage { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long Azurite stays down between stop and start.</summary>
    public TimeSpan StorageDowntime { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Give up waiting for outcomes after this long; what has not arrived by then counts as lost.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The Azurite executable (null: <see cref="Rehearsal.Storage.AzuriteProcess.Locate"/>).</summary>
    public string? AzuritePath { get; init; }

    /// <summary>ONNX Runtime execution provider for serving (as <c>Inference:ExecutionProvider</c>).</summary>
    public ExecutionProviderChoice ExecutionProvider { get; init; } = ExecutionProviderChoice.Auto;

    /// <summary>Seed of the choices (which scans are damaged, which events repeat or are base64).</summary>
    public int Seed { get; init; } = 1;
}
