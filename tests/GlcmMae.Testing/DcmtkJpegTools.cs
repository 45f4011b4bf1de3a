using GlcmMae.Shared.Imaging.Dicom;

namespace GlcmMae.Testing;

/// <summary>dcmtk's JPEG tools as the tests' DICOM JPEG encoder (dcmcjpeg) and reference decoder (dcmdjpeg); Debian package dcmtk.</summary>
public static class DcmtkJpegTools
{
    /// <summary>The file in the folder that <see cref="EncodeAsync"/> writes the encoded DICOM file to.</summary>
    public const string EncodedFile = "encoded.dcm";

    /// <summary>Writes the dataset uncompressed and encodes it with dcmcjpeg and <paramref name="options"/>; the result is also kept as <see cref="EncodedFile"/>.</summary>
    public static async Task<DicomFile> EncodeAsync(TempFolder folder, DicomDataset dataset, params string[] options)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var source = folder.File("source.dcm");
        var encoded = folder.File(EncodedFile);
        await File.WriteAllBytesAsync(source, DicomWriter.Write(dataset, DicomTransferSyntax.ExplicitVRLittleEndian)).ConfigureAwait(false);
        await ExternalTool.RunAsync("dcmcjpeg", [.. options, source, encoded]).ConfigureAwait(false);
        return DicomFile.Parse(await File.ReadAllBytesAsync(encoded).ConfigureAwait(false));
    }

    /// <summary>dcmdjpeg's decode of the folder's <see cref="EncodedFile"/>.</summary>
    public static async Task<DicomFile> DecodeAsync(TempFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var decoded = folder.File("decoded.dcm");
        await ExternalTool.RunAsync("dcmdjpeg", [folder.File(EncodedFile), decoded]).ConfigureAwait(false);
        return DicomFile.Parse(await File.ReadAllBytesAsync(decoded).ConfigureAwait(false));
    }
}
