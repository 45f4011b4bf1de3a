using System.Buffers.Binary;
using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Testing;

namespace GlcmMae.Shared.Tests.Imaging.Dicom;

/// <summary>Encodings real archives contain: UN sequences, private tags, odd lengths, trailing padding, Extended Offset Tables.</summary>
public sealed class DicomEncodingEdgeCaseTests
{
    private static int Value(int frame, int row, int column) => (frame * 100) + (row * 8) + column;

    [Fact]
    public void Undefined_length_un_element_is_read_as_an_implicit_vr_sequence()
    {
        // PS3.5 6.2.2: UN with undefined length holds a sequence encoded in implicit VR little endian.
        var item = new List<byte>();
        item.AddRange(Tag(0x0008, 0x0060));
        item.AddRange(BitConverter.GetBytes(2u));
        item.AddRange("CT"u8.ToArray());
        var un = new List<byte>();
        un.AddRange(Tag(0x0009, 0x1010));
        un.AddRange("UN\0\0"u8.ToArray());
        un.AddRange(BitConverter.GetBytes(0xFFFFFFFFu));
        un.AddRange(Tag(0xFFFE, 0xE000));
        un.AddRange(BitConverter.GetBytes((uint)item.Count));
        un.AddRange(item);
        un.AddRange(Tag(0xFFFE, 0xE0DD));
        un.AddRange(BitConverter.GetBytes(0u));

        var file = DicomFile.Parse(WithBody([.. un]));

        var sequence = file.Dataset.GetSequence(new DicomTag(0x0009, 0x1010));
        Assert.Equal("CT", Assert.Single(sequence).GetString(DicomTags.Modality));
    }

    [Fact]
    public void Private_tags_odd_lengths_and_trailing_padding_are_tolerated()
    {
        var body = new List<byte>();
        body.AddRange(Tag(0x0008, 0x0060));
        body.AddRange("CS"u8.ToArray());
        body.AddRange(BitConverter.GetBytes((ushort)3));
        body.AddRange("US "u8.ToArray());
        body.AddRange(Tag(0x0029, 0x0010));
        body.AddRange("LO"u8.ToArray());
        body.AddRange(BitConverter.GetBytes((ushort)6));
        body.AddRange("VENDOR"u8.ToArray());
        body.AddRange(new byte[6]);

        var file = DicomFile.Parse(WithBody([.. body]));

        Assert.Equal("US", file.Dataset.GetString(DicomTags.Modality));
        Assert.Equal("VENDOR", file.Dataset.GetString(new DicomTag(0x0029, 0x0010)));
        Assert.True(DicomTags.IsProtected(new DicomTag(0x0029, 0x0010)));
    }

    [Fact]
    public void Extended_offset_table_is_authoritative_over_the_basic_one()
    {
        var dataset = SyntheticDicom.Grayscale(6, 8, 16, 16, false, Value, frames: 2);
        var rle = DicomFile.Parse(DicomWriter.Write(dataset, DicomTransferSyntax.RleLossless));
        var fragments = rle.Dataset.Get(DicomTags.PixelData)!.Fragments!;
        var frames = fragments.Fragments.Select(f => f.ToArray()).ToArray();

        // List the frames in reverse in the EOT (PS3.3 C.7.6.3.1.8): frame 0 must then decode to the second fragment.
        var offsets = new byte[16];
        var lengths = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(offsets, (ulong)fragments.FragmentOffsets[1]);
        BinaryPrimitives.WriteUInt64LittleEndian(offsets.AsSpan(8), (ulong)fragments.FragmentOffsets[0]);
        BinaryPrimitives.WriteUInt64LittleEndian(lengths, (ulong)frames[1].Length);
        BinaryPrimitives.WriteUInt64LittleEndian(lengths.AsSpan(8), (ulong)frames[0].Length);
        dataset.Set(DicomElementFactory.Bytes(DicomTags.ExtendedOffsetTable, DicomVR.OV, offsets));
        dataset.Set(DicomElementFactory.Bytes(DicomTags.ExtendedOffsetTableLengths, DicomVR.OV, lengths));
        var file = DicomFile.Parse(DicomWriter.WriteEncapsulated(dataset, DicomTransferSyntax.RleLossless, frames));

        Assert.Equal(Value(1, 5, 7), DicomImageDecoder.Decode(file, 0).Pixels[^1]);
        Assert.Equal(Value(0, 5, 7), DicomImageDecoder.Decode(file, 1).Pixels[^1]);
    }

    [Fact]
    public void Thirty_two_bit_signed_samples_keep_their_full_range()
    {
        var dataset = SyntheticDicom.Grayscale(1, 2, 8, 8, false, (_, _, _) => 0);
        var pixels = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(pixels, -100000);
        BinaryPrimitives.WriteInt32LittleEndian(pixels.AsSpan(4), 2000000);
        dataset.Set(DicomElementFactory.UInt16(DicomTags.BitsAllocated, 32));
        dataset.Set(DicomElementFactory.UInt16(DicomTags.BitsStored, 32));
        dataset.Set(DicomElementFactory.UInt16(DicomTags.HighBit, 31));
        dataset.Set(DicomElementFactory.UInt16(DicomTags.PixelRepresentation, 1));
        dataset.Set(DicomElementFactory.Bytes(DicomTags.PixelData, DicomVR.OW, pixels));

        var image = DicomImageDecoder.Decode(DicomFile.Parse(DicomWriter.Write(dataset, DicomTransferSyntax.ExplicitVRLittleEndian)));

        Assert.Equal([-100000f, 2000000f], image.Pixels);
    }

    private static byte[] Tag(ushort group, ushort element) => [(byte)group, (byte)(group >> 8), (byte)element, (byte)(element >> 8)];

    private static byte[] WithBody(byte[] body)
    {
        var preamble = DicomWriter.Write(new DicomDataset(), DicomTransferSyntax.ExplicitVRLittleEndian);
        return [.. preamble, .. body];
    }
}
