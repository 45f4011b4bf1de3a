using System.Diagnostics;
using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Testing;

namespace GlcmMae.Shared.Tests.Imaging.Dicom;

/// <summary>Mutated valid files (bit flips, truncation, length fields) may fail only with typed imaging errors.</summary>
public sealed class DicomFuzzTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(8);

    public static TheoryData<string> Syntaxes => new() { "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.5" };

    [Theory]
    [MemberData(nameof(Syntaxes))]
    public void Mutated_files_fail_only_with_typed_errors(string transferSyntaxUid)
    {
        var dataset = SyntheticDicom.Grayscale(24, 20, 16, 12, true, (f, r, c) => (r * 20) + c, frames: 2).WithPatient();
        dataset.Set(DicomElementFactory.Text(DicomTags.WindowCenter, DicomVR.DS, "40"));
        var original = DicomWriter.Write(dataset, DicomTransferSyntax.Lookup(transferSyntaxUid));
        var options = new DicomReaderOptions { MaxPixelBytes = 1 << 20, MaxDimension = 4096, MaxFrames = 64 };
        var random = new Random(1234);
        var clock = Stopwatch.StartNew();
        var cases = 0;
        var typedFailures = 0;
        while (clock.Elapsed < Budget)
        {
            var mutated = Mutate(original, random);
            cases++;
            try
            {
                var file = DicomFile.Parse(mutated, DicomReadMode.Full, options);
                var pixelData = DicomPixelData.Create(file, options);
                for (var f = 0; f < pixelData.NumberOfFrames; f++)
                {
                    DicomImageDecoder.Decode(file, f, options);
                }
            }
            catch (ImagingException)
            {
                typedFailures++;
            }
        }

        Assert.True(cases > 100, $"only {cases} cases ran");
        Assert.True(typedFailures > 0, "no mutation was detected: the fuzzer is not reaching the parser");
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        switch (random.Next(4))
        {
            case 0:
                for (var i = random.Next(1, 8); i > 0; i--)
                {
                    var at = random.Next(bytes.Length);
                    bytes[at] ^= (byte)(1 << random.Next(8));
                }

                return bytes;
            case 1:
                return bytes[..random.Next(bytes.Length)];
            case 2:
                // Corrupt a length field: two or four bytes after a plausible tag.
                var position = random.Next(132, bytes.Length - 8) & ~1;
                bytes[position + 6] = (byte)random.Next(256);
                bytes[position + 7] = (byte)random.Next(256);
                return bytes;
            default:
                var start = random.Next(132, bytes.Length);
                random.NextBytes(bytes.AsSpan(start, Math.Min(16, bytes.Length - start)));
                return bytes;
        }
    }
}
