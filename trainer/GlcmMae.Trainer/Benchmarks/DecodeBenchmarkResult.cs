namespace GlcmMae.Trainer.Benchmarks;

/// <summary>One row of <c>glcmmae bench decode</c>.</summary>
internal sealed record DecodeBenchmarkResult(
    string Image,
    string TransferSyntax,
    string Stage,
    int Iterations,
    double MillisecondsPerFile,
    double FilesPerSecond,
    double MegabytesPerSecond,
    double AllocatedKilobytesPerFile);
