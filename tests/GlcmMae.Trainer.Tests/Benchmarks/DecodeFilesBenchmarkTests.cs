using System.Text.Json;
using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Testing;
using GlcmMae.Trainer.Tests.Cli;

namespace GlcmMae.Trainer.Tests.Benchmarks;

/// <summary><c>glcmmae bench decode --files</c> on a folder of mixed scans, as a site would run it on its archive.</summary>
public sealed class DecodeFilesBenchmarkTests
{
    [Fact]
    public async Task A_folder_of_mixed_scans_is_measured_per_transfer_syntax_and_bad_files_are_counted_not_named()
    {
        using var folder = new TempFolder();
        var scans = Directory.CreateDirectory(Path.Combine(folder.Path, "Doe^Jane")).FullName;
        var dataset = SyntheticDicom.Grayscale(64, 48, 16, 12, false, (_, r, c) => (r * 31) + c).WithPatient();
        await File.WriteAllBytesAsync(Path.Combine(scans, "Doe_Jane_1.dcm"), DicomWriter.Write(dataset, DicomTransferSyntax.ExplicitVRLittleEndian));
        await File.WriteAllBytesAsync(Path.Combine(scans, "Doe_Jane_2.dcm"), DicomWriter.Write(dataset, DicomTransferSyntax.ExplicitVRLittleEndian));
        await File.WriteAllBytesAsync(Path.Combine(scans, "Doe_Jane_3.dcm"), DicomWriter.Write(dataset, DicomTransferSyntax.RleLossless));
        await ExternalTool.RunAsync("gdcmconv", "--j2k", Path.Combine(scans, "Doe_Jane_1.dcm"), Path.Combine(scans, "nested-j2k.dcm"));
        using (var png = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.L8>(40, 30))
        {
            await SixLabors.ImageSharp.ImageExtensions.SaveAsPngAsync(png, Path.Combine(scans, "Doe_Jane_4.png"));
        }
        await File.WriteAllBytesAsync(Path.Combine(scans, "Doe_Jane_5.dcm"), DicomWriter.Write(dataset, DicomTransferSyntax.ExplicitVRLittleEndian)[..400]);
        await File.WriteAllTextAsync(Path.Combine(scans, "notes.txt"), "not a scan");

        var (exitCode, output, _) = await CliInvoker.InvokeAsync("bench", "decode", "--files", folder.Path, "--seconds", "0.05", "--decoder-threads", "2", "--json");

        Assert.Equal(0, exitCode);
        var rows = JsonDocument.Parse(output).RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("group").GetString()!, r => r);
        Assert.Equal(
            ["DICOM Explicit VR Little Endian", "DICOM JPEG 2000 Lossless", "DICOM RLE Lossless", "PNG", "refused: CorruptFile", "refused: UnsupportedFormat"],
            rows.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2, rows["DICOM Explicit VR Little Endian"].GetProperty("files").GetInt32());
        Assert.True(rows["DICOM JPEG 2000 Lossless"].GetProperty("millisecondsPerFile").GetDouble() > 0);
        Assert.True(rows["DICOM RLE Lossless"].GetProperty("decodes").GetInt64() >= 1);
        Assert.Equal(1, rows["refused: CorruptFile"].GetProperty("files").GetInt32());
        Assert.DoesNotContain("Doe", output, StringComparison.OrdinalIgnoreCase);

        // As a model trained with --decode-resolution reduced serves them (these scans are below 256 px: decoded in full).
        var (reducedExit, reduced, _) = await CliInvoker.InvokeAsync("bench", "decode", "--files", folder.Path, "--seconds", "0.05", "--decode-resolution", "reduced", "--json");
        Assert.Equal(0, reducedExit);
        Assert.Equal(rows.Keys.Order(StringComparer.Ordinal), JsonDocument.Parse(reduced).RootElement.EnumerateArray().Select(r => r.GetProperty("group").GetString()!).Order(StringComparer.Ordinal));
    }
}
