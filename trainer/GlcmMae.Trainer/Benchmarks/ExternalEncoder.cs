using System.ComponentModel;
using System.Diagnostics;
using GlcmMae.Shared.Imaging.Dicom;

namespace GlcmMae.Trainer.Benchmarks;

/// <summary>Makes compressed benchmark files with dcmtk or gdcm when they are installed (GlcmMae decodes these syntaxes but does not encode them).</summary>
internal sealed record ExternalEncoder(string Tool, string[] Arguments, DicomTransferSyntax TransferSyntax, bool EightBitOnly = false)
{
    public static IReadOnlyList<ExternalEncoder> All { get; } =
    [
        new("dcmcjpeg", ["+eb", "+sr"], DicomTransferSyntax.JpegBaseline, EightBitOnly: true),
        new("dcmcjpeg", ["+e1"], DicomTransferSyntax.JpegLosslessSV1),
        new("dcmcjpls", ["+el"], DicomTransferSyntax.JpegLsLossless),
        new("gdcmconv", ["--j2k"], DicomTransferSyntax.Jpeg2000Lossless),
    ];

    /// <summary>Encodes the dataset, or returns null when the tool is not installed or refuses the image.</summary>
    public byte[]? TryEncode(DicomDataset dataset)
    {
        var folder = Directory.CreateTempSubdirectory("glcmmae-bench-");
        try
        {
            var source = Path.Combine(folder.FullName, "source.dcm");
            var target = Path.Combine(folder.FullName, "target.dcm");
            File.WriteAllBytes(source, DicomWriter.Write(dataset, DicomTransferSyntax.ExplicitVRLittleEndian));
            var start = new ProcessStartInfo(Tool) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in Arguments.Append(source).Append(target))
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 && File.Exists(target) ? File.ReadAllBytes(target) : null;
        }
        catch (Win32Exception)
        {
            return null;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
