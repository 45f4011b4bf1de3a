using GlcmMae.Shared.Imaging.Dicom;

namespace GlcmMae.Testing;

/// <summary>
/// Damaged files that once hurt the serving path, rebuilt from their description with dcmtk and gdcm: each must now be
/// one CorruptFile outcome, decided before a decoder allocates for what the damage claims.
/// </summary>
public static class HostileScans
{
    /// <summary>
    /// A JPEG lossless (process 14) frame whose SOF3 gives its component a sampling factor of 0: JpegLibrary divided by
    /// it (<see cref="DivideByZeroException"/> from its Huffman scan decoder), an untyped exception that killed `serve`.
    /// </summary>
    public static async Task<byte[]> LosslessJpegWithZeroSamplingAsync(TempFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var source = folder.File("lossless-source.dcm");
        var encoded = folder.File("lossless.dcm");
        await File.WriteAllBytesAsync(source, DicomWriter.Write(SyntheticDicom.Grayscale(32, 40, 16, 12, false, (_, r, c) => (r * 97) + (c * 13)), DicomTransferSyntax.ExplicitVRLittleEndian));
        await ExternalTool.RunAsync("dcmcjpeg", "+e1", source, encoded);
        var bytes = await File.ReadAllBytesAsync(encoded);

        // SOF3: FF C3, length (2), precision (1), height (2), width (2), components (1), then id, HiVi, Tq per component.
        var sof = bytes.AsSpan().IndexOf((byte[])[0xFF, 0xC3]);
        if (sof < 0)
        {
            throw new InvalidOperationException("dcmcjpeg +e1 wrote no SOF3 marker");
        }

        bytes[sof + 11] = 0x00;
        return bytes;
    }

    /// <summary>
    /// A 512 x 512 JPEG 2000 file whose SIZ header claims an image 1,049,088 pixels wide (one flipped bit in Xsiz), under
    /// 4 KB: OpenJPEG decoded it in full (2.2 GB, 10 s) before the size was compared with the dataset.
    /// </summary>
    public static async Task<byte[]> Jpeg2000WithHugeSizAsync(TempFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var source = folder.File("j2k-source.dcm");
        var encoded = folder.File("j2k.dcm");
        await File.WriteAllBytesAsync(source, DicomWriter.Write(SyntheticDicom.Grayscale(512, 512, 8, 8, false, (_, _, _) => 0), DicomTransferSyntax.ExplicitVRLittleEndian));
        await ExternalTool.RunAsync("gdcmconv", "--j2k", source, encoded);
        var bytes = await File.ReadAllBytesAsync(encoded);

        // SOC FF 4F, SIZ FF 51, Lsiz (2), Rsiz (2), then Xsiz (4, big endian): 512 = 00 00 02 00 becomes 00 10 02 00.
        var soc = bytes.AsSpan().IndexOf((byte[])[0xFF, 0x4F, 0xFF, 0x51]);
        if (soc < 0)
        {
            throw new InvalidOperationException("gdcmconv --j2k wrote no JPEG 2000 codestream");
        }

        bytes[soc + 9] ^= 0x10;
        return bytes;
    }
}
