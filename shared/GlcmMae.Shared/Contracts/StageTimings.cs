namespace GlcmMae.Shared.Contracts;

/// <summary>Milliseconds spent per pipeline stage (queue = waiting for a micro-batch).</summary>
public sealed record StageTimings
{
    /// <summary>Reading the scan bytes.</summary>
    public double Read { get; init; }

    /// <summary>Parsing and decoding the pixels.</summary>
    public double Decode { get; init; }

    /// <summary>The shared preprocessing.</summary>
    public double Preprocess { get; init; }

    /// <summary>Waiting for a micro-batch to start.</summary>
    public double Queue { get; init; }

    /// <summary>ONNX Runtime, for the whole batch the scan was part of.</summary>
    public double Inference { get; init; }

    /// <summary>End to end.</summary>
    public double Total { get; init; }
}
