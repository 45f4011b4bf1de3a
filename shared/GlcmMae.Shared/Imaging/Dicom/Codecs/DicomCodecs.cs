namespace GlcmMae.Shared.Imaging.Dicom.Codecs;

/// <summary>Picks the decoder for a transfer syntax and says clearly when there is none.</summary>
/// <remarks>
/// Every decoder call goes through <see cref="Decode"/>, which turns whatever a damaged frame makes a third-party
/// decoder throw into <see cref="DicomFormatException"/> (CorruptFile): a scan's bytes never change, so such a failure
/// must be one outcome for that scan, never a crash or a retry (<see cref="DecoderFailure"/>).
/// </remarks>
internal static class DicomCodecs
{
    public static byte[] Decode(DicomTransferSyntax transferSyntax, ReadOnlyMemory<byte> compressed, DicomPixelData pixelData)
    {
        try
        {
            return DecodeWith(transferSyntax, compressed, pixelData);
        }
        catch (Exception exception) when (DecoderFailure.IsUntyped(exception))
        {
            throw new DicomFormatException(-1, $"the {transferSyntax.Name} frame cannot be decoded: {DecoderFailure.Describe(exception)}", exception);
        }
    }

    private static byte[] DecodeWith(DicomTransferSyntax transferSyntax, ReadOnlyMemory<byte> compressed, DicomPixelData pixelData) =>
        transferSyntax.Compression switch
        {
            DicomCompression.EncapsulatedUncompressed => CopyExact(compressed.Span, pixelData.FrameLength),
            DicomCompression.Rle => RleCodec.Decode(compressed.Span, pixelData),
            // 8-bit DCT frames go to libjpeg-turbo; 12-bit and lossless ones, which it does not decode, and 8-bit samples
            // stored in 16-bit words (outside the standard, seen in the wild) to JpegLibrary.
            DicomCompression.JpegBaseline or DicomCompression.JpegExtended or DicomCompression.JpegLossless when pixelData.BytesPerSample == 1 && TurboJpegCodec.Handles(compressed.Span) =>
                TurboJpegCodec.Decode(compressed.Span, pixelData, transferSyntax),
            // Lossless frames go to our own decoder, which is faster than JpegLibrary (docs/imaging.md, "JPEG lossless"),
            // unless they use something it leaves to JpegLibrary.
            DicomCompression.JpegBaseline or DicomCompression.JpegExtended or DicomCompression.JpegLossless =>
                LosslessJpegCodec.TryDecode(compressed.Span, pixelData) ?? JpegCodec.Decode(compressed, pixelData),
            DicomCompression.JpegLs => DecodeDeadline.Run(() => CharLsCodec.Decode(compressed.Span, pixelData, transferSyntax), pixelData.DecodeTimeout, "JPEG-LS"),
            DicomCompression.Jpeg2000 or DicomCompression.HighThroughputJpeg2000 => OpenJpegCodec.Decode(compressed.Span, pixelData, transferSyntax, pixelData.DecoderThreads),
            _ => throw Unsupported(transferSyntax, "GlcmMae has no decoder for it."),
        };

    private static UnsupportedTransferSyntaxException Unsupported(DicomTransferSyntax transferSyntax, string why) =>
        new(transferSyntax.Uid, transferSyntax.Name, $"{why} Convert the file to an uncompressed syntax first, e.g. `gdcmconv --raw in.dcm out.dcm` (Debian package libgdcm-tools) or `dcmdjpeg`/`dcmdjpls` (dcmtk).");

    private static byte[] CopyExact(ReadOnlySpan<byte> data, int frameLength)
    {
        if (data.Length < frameLength)
        {
            throw new DicomFormatException(-1, $"encapsulated uncompressed frame holds {data.Length} bytes, expected {frameLength}");
        }

        return data[..frameLength].ToArray();
    }
}
