using System.Runtime.InteropServices;
using System.Text.Json;
using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Testing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace GlcmMae.Trainer.Tests.Cli;

public sealed class ScanCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private string WriteCt()
    {
        var dataset = SyntheticDicom.Grayscale(10, 12, 16, 12, signed: true, (_, r, c) => (r * 100) + c - 500).WithPatient();
        dataset.Set(DicomElementFactory.Text(DicomTags.RescaleIntercept, DicomVR.DS, "-24"));
        dataset.Set(DicomElementFactory.Text(DicomTags.WindowCenter, DicomVR.DS, "0"));
        dataset.Set(DicomElementFactory.Text(DicomTags.WindowWidth, DicomVR.DS, "200"));
        var path = _folder.File("ct.dcm");
        File.WriteAllBytes(path, DicomWriter.Write(dataset, DicomTransferSyntax.RleLossless));
        return path;
    }

    [Fact]
    public async Task Inspect_prints_identifiers_but_no_patient_data()
    {
        var (exitCode, output, _) = await CliInvoker.InvokeAsync("inspect", WriteCt());

        Assert.Equal(0, exitCode);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("dicom", json.RootElement.GetProperty("format").GetString());
        Assert.Equal("CT", json.RootElement.GetProperty("modality").GetString());
        Assert.Equal("1.2.840.10008.1.2.5", json.RootElement.GetProperty("transferSyntax").GetProperty("uid").GetString());
        Assert.DoesNotContain("Doe", output, StringComparison.Ordinal);
        Assert.DoesNotContain("PID-0042", output, StringComparison.Ordinal);
        Assert.DoesNotContain("19700101", output, StringComparison.Ordinal);
        Assert.DoesNotContain("ACC-777", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_with_show_phi_includes_patient_attributes()
    {
        var (exitCode, output, _) = await CliInvoker.InvokeAsync("inspect", WriteCt(), "--show-phi");

        Assert.Equal(0, exitCode);
        Assert.Contains("Doe^Jane", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_writes_the_windowed_png_and_the_exact_raw_values()
    {
        var png = _folder.File("out/ct.png");
        var raw = _folder.File("out/ct.raw");

        var (exitCode, _, error) = await CliInvoker.InvokeAsync("render", WriteCt(), "-o", png, "--raw", raw);

        Assert.True(exitCode == 0, error);
        using var image = Image.Load<L8>(png);
        Assert.Equal((12, 10), (image.Width, image.Height));
        Assert.Equal(0, image[0, 0].PackedValue); // -524 HU is below the window 0 +/- 100
        Assert.Equal(255, image[11, 9].PackedValue); // 387 HU is above it
        var values = MemoryMarshal.Cast<byte, float>(await File.ReadAllBytesAsync(raw)).ToArray();
        Assert.Equal(120, values.Length);
        Assert.Equal((9 * 100) + 11 - 500 - 24, values[^1]);
    }

    [Fact]
    public async Task Render_rejects_a_bad_window_argument()
    {
        var (exitCode, output, error) = await CliInvoker.InvokeAsync("render", WriteCt(), "-o", _folder.File("x.png"), "--window", "40");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("CENTER,WIDTH", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Corrupt_file_exits_with_a_typed_error_and_code_2()
    {
        var path = _folder.File("broken.dcm");
        var bytes = await File.ReadAllBytesAsync(WriteCt());
        await File.WriteAllBytesAsync(path, bytes[..(bytes.Length / 2)]);

        var (exitCode, _, error) = await CliInvoker.InvokeAsync("inspect", path);

        Assert.Equal(2, exitCode);
        Assert.StartsWith("error: CorruptFile:", error, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
