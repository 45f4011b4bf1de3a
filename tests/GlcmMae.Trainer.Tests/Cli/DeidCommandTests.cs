using System.Text;
using System.Text.Json;
using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Testing;

namespace GlcmMae.Trainer.Tests.Cli;

/// <summary>
/// <c>glcmmae deid</c> over a folder of scans named after their patient: nothing of the patient, the study's original
/// UIDs, the institution or the staff is left in any byte written (files, names, console); dcmtk reads every output.
/// </summary>
public sealed class DeidCommandTests : IDisposable
{
    private static readonly string[] Secrets = ["Doe", "Jane", "PID-0042", "19700101", "ACC-777", "2.25.4242", "2.25.9001", "2.25.9002", "2.25.5555", "St Elsewhere", "Who^Doctor", "ACME", "secret note"];
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static DicomDataset Scan(string sop, bool burnedIn = false)
    {
        var dataset = SyntheticDicom.GreyCine(2, f => (byte)(60 + (f * 40)), "2.25.4242", sop).WithPatient();
        dataset.Set(DicomElementFactory.Text(DicomTags.StudyDate, DicomVR.DA, "20240102"));
        dataset.Set(DicomElementFactory.Text(new DicomTag(0x0008, 0x0080), DicomVR.LO, "St Elsewhere"));
        dataset.Set(DicomElementFactory.Text(new DicomTag(0x0008, 0x0090), DicomVR.PN, "Who^Doctor"));
        dataset.Set(DicomElementFactory.Text(new DicomTag(0x0009, 0x0010), DicomVR.LO, "ACME"));
        dataset.Set(DicomElementFactory.Text(new DicomTag(0x0009, 0x1001), DicomVR.LO, "secret note"));
        var item = new DicomDataset();
        item.Set(DicomElementFactory.Text(new DicomTag(0x0008, 0x1150), DicomVR.UI, "1.2.840.10008.5.1.4.1.1.6.1"));
        item.Set(DicomElementFactory.Text(new DicomTag(0x0008, 0x1155), DicomVR.UI, "2.25.5555"));
        item.Set(DicomElementFactory.Text(new DicomTag(0x0040, 0xA123), DicomVR.PN, "Doe^Jane"));
        dataset.Set(DicomElement.CreateSequence(new DicomTag(0x0008, 0x1140), [item]));
        if (burnedIn)
        {
            dataset.Set(DicomElementFactory.Text(new DicomTag(0x0028, 0x0301), DicomVR.CS, "YES"));
        }

        return dataset;
    }

    [Fact]
    public async Task A_folder_named_after_the_patient_is_de_identified_with_no_trace_of_them_and_dcmtk_reads_every_file()
    {
        var input = Directory.CreateDirectory(Path.Combine(_temp.Path, "in", "Doe_Jane_PID-0042")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(input, "Doe_Jane_1.dcm"), DicomWriter.Write(Scan("2.25.9001"), DicomTransferSyntax.ExplicitVRLittleEndian));
        await File.WriteAllBytesAsync(Path.Combine(input, "Doe_Jane_2_rle.dcm"), DicomWriter.Write(Scan("2.25.9002"), DicomTransferSyntax.RleLossless));
        await File.WriteAllBytesAsync(Path.Combine(input, "Doe_Jane_burned.dcm"), DicomWriter.Write(Scan("2.25.9003", burnedIn: true), DicomTransferSyntax.ExplicitVRLittleEndian));
        await File.WriteAllTextAsync(Path.Combine(input, "Doe_Jane_notes.txt"), "PID-0042 called on 19700101");
        var output = Path.Combine(_temp.Path, "out");
        var refused = Path.Combine(_temp.Path, "refused.txt");

        var (exitCode, stdout, stderr) = await CliInvoker.InvokeAsync("deid", Path.Combine(_temp.Path, "in"), output, "--json", "--refused-list", refused);

        // Some files were not written: exit 1, with the summary.
        Assert.True(exitCode == 1, stderr);
        using var summary = JsonDocument.Parse(stdout);
        Assert.Equal(4, summary.RootElement.GetProperty("files").GetInt32());
        Assert.Equal(2, summary.RootElement.GetProperty("written").GetInt32());
        Assert.Equal(1, summary.RootElement.GetProperty("refused").GetProperty("BurnedInAnnotation").GetInt32());
        Assert.Equal(1, summary.RootElement.GetProperty("refused").GetProperty("NotDicom").GetInt32());
        var changes = summary.RootElement.GetProperty("changes");
        Assert.Equal(2, changes.GetProperty("(0010,0010) PatientName: Empty").GetInt32());
        Assert.Equal(4, changes.GetProperty("private attributes: removed").GetInt32());
        var files = Directory.GetFiles(output, "*", SearchOption.AllDirectories);
        Assert.Equal(2, files.Length);
        // One study, one series, two instances: the UIDs were remapped consistently across the files.
        Assert.Single(files.Select(f => Path.GetDirectoryName(Path.GetDirectoryName(f))).Distinct());
        Assert.Single(files.Select(Path.GetDirectoryName).Distinct());

        var written = string.Join('\n', files.Select(f => Path.GetRelativePath(output, f) + Encoding.Latin1.GetString(File.ReadAllBytes(f))));
        foreach (var secret in Secrets)
        {
            Assert.DoesNotContain(secret, written, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, stdout + stderr, StringComparison.Ordinal);
        }

        Assert.Contains("BurnedInAnnotation\t", await File.ReadAllTextAsync(refused), StringComparison.Ordinal);
        foreach (var file in files)
        {
            var dump = await ExternalTool.RunAsync("dcmdump", ["+E", file]);
            Assert.Contains("(0012,0062) CS [YES]", dump, StringComparison.Ordinal);
            Assert.Contains("(0010,0010) PN (no value available)", dump, StringComparison.Ordinal);
            Assert.Contains("(0008,1150) UI =", dump, StringComparison.Ordinal);
            // The pixels are untouched: both frames decode as they were written, in the file's own transfer syntax.
            var document = ScanDocument.Open(await File.ReadAllBytesAsync(file));
            Assert.Equal(2, document.Metadata.Frames);
            Assert.Equal(60f, document.DecodeFrame(0).Pixels[41]);
            Assert.Equal(100f, document.DecodeFrame(1).Pixels[41]);
        }

        Assert.Contains(files, f => ExternalTool.RunAsync("dcmdump", ["+E", f]).GetAwaiter().GetResult().Contains("RLELossless", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Allowed_burned_in_scans_are_written_and_a_given_key_gives_the_same_uids_in_every_run()
    {
        var input = Directory.CreateDirectory(Path.Combine(_temp.Path, "in")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(input, "a.dcm"), DicomWriter.Write(Scan("2.25.9003", burnedIn: true), DicomTransferSyntax.ExplicitVRLittleEndian));
        var key = Convert.ToBase64String(new byte[32]);

        var first = await CliInvoker.InvokeAsync("deid", input, Path.Combine(_temp.Path, "one"), "--allow-burned-in", "--uid-key", key);
        var second = await CliInvoker.InvokeAsync("deid", input, Path.Combine(_temp.Path, "two"), "--allow-burned-in", "--uid-key", key);
        var badKey = await CliInvoker.InvokeAsync("deid", input, Path.Combine(_temp.Path, "three"), "--uid-key", "not base64!");

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Equal(
            Directory.GetFiles(Path.Combine(_temp.Path, "one"), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Path.Combine(_temp.Path, "one"), f)),
            Directory.GetFiles(Path.Combine(_temp.Path, "two"), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Path.Combine(_temp.Path, "two"), f)));
        Assert.NotEqual(0, badKey.ExitCode);
        Assert.Contains("--uid-key", badKey.Error, StringComparison.Ordinal);
    }
}
