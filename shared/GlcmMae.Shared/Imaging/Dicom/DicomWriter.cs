using System.Buffers.Binary;
using GlcmMae.Shared.Imaging.Dicom.Codecs;

namespace GlcmMae.Shared.Imaging.Dicom;

/// <summary>Writes DICOM Part 10 files: implicit, explicit or deflated little endian with native pixels, or RLE Lossless.</summary>
/// <remarks>The dataset's values must be little endian with native pixel data; RLE encodes the pixels on the way out.</remarks>
public static class DicomWriter
{
    private const string ImplementationClassUid = "1.2.826.0.1.3680043.10.1476.1";

    /// <summary>Serialises <paramref name="dataset"/> with a 128-byte preamble and file meta information.</summary>
    public static byte[] Write(DicomDataset dataset, DicomTransferSyntax transferSyntax)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(transferSyntax);
        if (transferSyntax != DicomTransferSyntax.ExplicitVRLittleEndian && transferSyntax != DicomTransferSyntax.RleLossless
            && transferSyntax != DicomTransferSyntax.ImplicitVRLittleEndian && transferSyntax != DicomTransferSyntax.DeflatedExplicitVRLittleEndian)
        {
            throw new ArgumentException($"DicomWriter writes implicit, explicit or deflated little endian, or RLE Lossless, not {transferSyntax.Name}.", nameof(transferSyntax));
        }

        var explicitVR = transferSyntax.IsExplicitVR;
        using var body = new MemoryStream();
        foreach (var element in dataset.Elements)
        {
            if (element.Tag == DicomTags.PixelData && transferSyntax == DicomTransferSyntax.RleLossless)
            {
                WriteRlePixelData(body, dataset, element);
            }
            else
            {
                WriteElement(body, element, explicitVR);
            }
        }

        return WriteFile(dataset, transferSyntax, body);
    }

    /// <summary>Writes a dataset whose frames are already compressed (one fragment per frame), e.g. JPEG 2000 codestreams.</summary>
    public static byte[] WriteEncapsulated(DicomDataset dataset, DicomTransferSyntax transferSyntax, IReadOnlyList<byte[]> frames)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(transferSyntax);
        ArgumentNullException.ThrowIfNull(frames);
        if (!transferSyntax.IsEncapsulated || transferSyntax.IsBigEndian || !transferSyntax.IsExplicitVR)
        {
            throw new ArgumentException($"{transferSyntax.Name} is not an encapsulated little-endian transfer syntax.", nameof(transferSyntax));
        }

        using var body = new MemoryStream();
        foreach (var element in dataset.Elements.Where(e => e.Tag != DicomTags.PixelData))
        {
            WriteElement(body, element, explicitVR: true);
        }

        WriteEncapsulatedPixelData(body, frames);
        return WriteFile(dataset, transferSyntax, body);
    }

    private static byte[] WriteFile(DicomDataset dataset, DicomTransferSyntax transferSyntax, MemoryStream body)
    {
        var meta = new DicomDataset();
        meta.Set(DicomElementFactory.Bytes(DicomTags.FileMetaInformationVersion, DicomVR.OB, new byte[] { 0, 1 }));
        meta.Set(DicomElementFactory.Text(DicomTags.MediaStorageSopClassUid, DicomVR.UI, dataset.GetString(DicomTags.SopClassUid) ?? "1.2.840.10008.5.1.4.1.1.7"));
        meta.Set(DicomElementFactory.Text(DicomTags.MediaStorageSopInstanceUid, DicomVR.UI, dataset.GetString(DicomTags.SopInstanceUid) ?? "2.25.1"));
        meta.Set(DicomElementFactory.Text(DicomTags.TransferSyntaxUid, DicomVR.UI, transferSyntax.Uid));
        meta.Set(DicomElementFactory.Text(DicomTags.ImplementationClassUid, DicomVR.UI, ImplementationClassUid));
        using var metaBody = new MemoryStream();
        foreach (var element in meta.Elements)
        {
            WriteElement(metaBody, element, explicitVR: true);
        }

        using var file = new MemoryStream();
        file.Write(new byte[128]);
        file.Write("DICM"u8);
        WriteElement(file, DicomElementFactory.UInt32(DicomTags.FileMetaInformationGroupLength, (uint)metaBody.Length), explicitVR: true);
        metaBody.WriteTo(file);
        if (transferSyntax.IsDeflated)
        {
            // Everything after the file meta group is raw deflate (PS3.5 A.5).
            using var deflater = new System.IO.Compression.DeflateStream(file, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true);
            body.WriteTo(deflater);
        }
        else
        {
            body.WriteTo(file);
        }

        return file.ToArray();
    }

    private static void WriteRlePixelData(Stream output, DicomDataset dataset, DicomElement element)
    {
        var rows = dataset.GetInt32(DicomTags.Rows) ?? 0;
        var columns = dataset.GetInt32(DicomTags.Columns) ?? 0;
        var samples = dataset.GetInt32(DicomTags.SamplesPerPixel) ?? 1;
        var bytesPerSample = (dataset.GetInt32(DicomTags.BitsAllocated) ?? 8) / 8;
        var frames = dataset.GetInt32(DicomTags.NumberOfFrames) ?? 1;
        var frameLength = rows * columns * samples * bytesPerSample;
        var encoded = new List<byte[]>();
        for (var f = 0; f < frames; f++)
        {
            encoded.Add(RleEncoder.Encode(element.Value.Span.Slice(f * frameLength, frameLength), rows, columns, samples, bytesPerSample));
        }

        WriteEncapsulatedPixelData(output, encoded);
    }

    private static void WriteEncapsulatedPixelData(Stream output, IReadOnlyList<byte[]> frames)
    {
        // PS3.5 A.4: undefined-length OB, a Basic Offset Table item, one item per frame (padded to even length).
        WriteHeader(output, DicomTags.PixelData, DicomVR.OB, 0xFFFFFFFF, explicitVR: true);
        var table = new byte[4 * frames.Count];
        uint offset = 0;
        for (var f = 0; f < frames.Count; f++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan(f * 4), offset);
            offset += (uint)(8 + frames[f].Length + (frames[f].Length % 2));
        }

        WriteItem(output, table);
        foreach (var fragment in frames)
        {
            WriteItem(output, fragment);
        }

        WriteTag(output, DicomTags.SequenceDelimitationItem);
        WriteUInt32(output, 0);
    }

    private static void WriteElement(Stream output, DicomElement element, bool explicitVR)
    {
        if (element.VR == DicomVR.SQ)
        {
            WriteHeader(output, element.Tag, DicomVR.SQ, 0xFFFFFFFF, explicitVR);
            foreach (var item in element.Items)
            {
                WriteTag(output, DicomTags.Item);
                WriteUInt32(output, 0xFFFFFFFF);
                foreach (var child in item.Elements)
                {
                    WriteElement(output, child, explicitVR);
                }

                WriteTag(output, DicomTags.ItemDelimitationItem);
                WriteUInt32(output, 0);
            }

            WriteTag(output, DicomTags.SequenceDelimitationItem);
            WriteUInt32(output, 0);
            return;
        }

        var value = element.Value.Span;
        var padded = value.Length % 2 == 1;
        WriteHeader(output, element.Tag, element.VR == DicomVR.None ? DicomVR.UN : element.VR, (uint)(value.Length + (padded ? 1 : 0)), explicitVR);
        output.Write(value);
        if (padded)
        {
            output.WriteByte(0);
        }
    }

    private static void WriteHeader(Stream output, DicomTag tag, DicomVR vr, uint length, bool explicitVR)
    {
        WriteTag(output, tag);
        if (!explicitVR)
        {
            WriteUInt32(output, length);
            return;
        }

        output.WriteByte((byte)((ushort)vr >> 8));
        output.WriteByte((byte)vr);
        if (DicomVRInfo.HasLongLength(vr))
        {
            output.WriteByte(0);
            output.WriteByte(0);
            WriteUInt32(output, length);
        }
        else
        {
            Span<byte> bytes = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, checked((ushort)length));
            output.Write(bytes);
        }
    }

    private static void WriteItem(Stream output, byte[] payload)
    {
        WriteTag(output, DicomTags.Item);
        WriteUInt32(output, (uint)(payload.Length + (payload.Length % 2)));
        output.Write(payload);
        if (payload.Length % 2 == 1)
        {
            output.WriteByte(0);
        }
    }

    private static void WriteTag(Stream output, DicomTag tag)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes[2..], tag.Element);
        output.Write(bytes);
    }

    private static void WriteUInt32(Stream output, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        output.Write(bytes);
    }
}
