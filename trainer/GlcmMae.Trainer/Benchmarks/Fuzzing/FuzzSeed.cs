namespace GlcmMae.Trainer.Benchmarks.Fuzzing;

/// <summary>A valid file the fuzzer mutates, and the family it stands for (format and transfer syntax).</summary>
/// <param name="Family">For example "DICOM JPEG 2000 Lossless (CT 16-bit)" or "PNG gray 16-bit".</param>
/// <param name="Bytes">The file.</param>
internal sealed record FuzzSeed(string Family, byte[] Bytes);
