namespace GlcmMae.Trainer.Benchmarks;

/// <summary>One row of <c>glcmmae bench decode --files</c>: one transfer syntax (or PNG, JPEG) of the user's scans, or the files refused with one error code.</summary>
/// <param name="Group">"DICOM JPEG 2000 Lossless", "PNG", or "refused: CorruptFile".</param>
/// <param name="Files">Files in the group.</param>
/// <param name="Decodes">Decodes timed (the files round-robin, first frame each).</param>
/// <param name="MillisecondsPerFile">Mean time to open a file and decode its first frame.</param>
/// <param name="FilesPerSecond">Files decoded per second on one thread.</param>
/// <param name="MegabytesPerSecond">Encoded file bytes decoded per second.</param>
/// <param name="MegapixelsPerSecond">Decoded pixels per second.</param>
/// <param name="AllocatedKilobytesPerFile">Managed memory allocated per file.</param>
internal sealed record DecodeFilesBenchmarkRow(
    string Group,
    int Files,
    long Decodes,
    double MillisecondsPerFile,
    double FilesPerSecond,
    double MegabytesPerSecond,
    double MegapixelsPerSecond,
    double AllocatedKilobytesPerFile);
