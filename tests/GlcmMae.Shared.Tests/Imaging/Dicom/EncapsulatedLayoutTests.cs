using System.Buffers.Binary;
using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Testing;

namespace GlcmMae.Shared.Tests.Imaging.Dicom;

/// <summary>
/// Every layout of encapsulated pixel data the standard allows (PS3.5 A.4: empty or full Basic Offset Table, Extended
/// Offset Table, frames split across fragments, trailing padding), and the irregular ones devices write (no sequence
/// delimiter, the delimiter inside the last fragment, an item delimiter in its place), decoded from real JPEG 2000
/// codestreams made by gdcm: each frame must come out exactly.
/// </summary>
public sealed class EncapsulatedLayoutTests : IDisposable
{
    private const int Rows = 18;
    private const int Columns = 22;
    private const int Frames = 3;
    private static readonly byte[] SequenceDelimiter = [0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0];
    private readonly TempFolder _folder = new();

    public enum Table
    {
        Empty,
        Basic,
        Extended,
    }

    public static TheoryData<Table, int> StandardLayouts => new()
    {
        { Table.Empty, 1 },
        { Table.Basic, 1 },
        { Table.Extended, 1 },
        { Table.Empty, 2 },
        { Table.Basic, 2 },
        { Table.Empty, 3 },
        { Table.Basic, 3 },
    };

    private static int Value(int frame, int row, int column) => ((frame * 61) + (row * 7) + (column * 3) + ((row * column) % 5)) % 251;

    [Theory]
    [MemberData(nameof(StandardLayouts))]
    public async Task Every_standard_offset_table_and_fragmentation_decodes_every_frame(Table table, int fragmentsPerFrame)
    {
        var codestreams = await CodestreamsAsync();
        var fragments = codestreams.Select(c => Split(c, fragmentsPerFrame)).ToArray();

        var file = Compose(fragments, table, pixelData => pixelData.Write(SequenceDelimiter));

        AssertFrames(file);
    }

    [Fact]
    public async Task Trailing_padding_after_the_delimiter_and_a_delimiter_with_a_length_are_tolerated()
    {
        var fragments = (await CodestreamsAsync()).Select(c => new[] { c }).ToArray();

        var file = Compose(fragments, Table.Basic, pixelData =>
        {
            // A non-zero length on the delimiter (PS3.5 7.5.2 says 0; readers ignore it), then Data Set Trailing Padding.
            pixelData.Write([0xFE, 0xFF, 0xDD, 0xE0, 4, 0, 0, 0]);
            pixelData.Write([0xFC, 0xFF, 0xFC, 0xFF, (byte)'O', (byte)'B', 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        });

        AssertFrames(file);
    }

    [Fact]
    public async Task A_file_that_ends_after_its_last_fragment_without_a_sequence_delimiter_decodes()
    {
        var fragments = (await CodestreamsAsync()).Select(c => new[] { c }).ToArray();

        AssertFrames(Compose(fragments, Table.Empty, _ => { }));
    }

    [Fact]
    public async Task A_sequence_delimiter_inside_the_last_fragment_is_not_part_of_the_codestream()
    {
        // The last item's length counts the delimiter that follows its codestream, and the file ends there.
        var codestreams = await CodestreamsAsync();
        var fragments = codestreams.Select((c, f) => f == Frames - 1 ? new[] { (byte[])[.. c, .. SequenceDelimiter] } : [c]).ToArray();

        AssertFrames(Compose(fragments, Table.Empty, _ => { }));
    }

    [Fact]
    public async Task A_delimiter_copied_into_the_last_fragment_before_the_real_one_is_not_decoded()
    {
        var codestreams = await CodestreamsAsync();
        var fragments = codestreams.Select(c => new[] { (byte[])[.. c, .. SequenceDelimiter] }).ToArray();

        AssertFrames(Compose(fragments, Table.Basic, pixelData => pixelData.Write(SequenceDelimiter)));
    }

    [Fact]
    public async Task An_item_delimiter_in_place_of_the_sequence_delimiter_ends_the_fragments()
    {
        var fragments = (await CodestreamsAsync()).Select(c => new[] { c }).ToArray();

        AssertFrames(Compose(fragments, Table.Basic, pixelData => pixelData.Write([0xFE, 0xFF, 0x0D, 0xE0, 0, 0, 0, 0])));
    }

    [Fact]
    public async Task Padding_after_the_end_of_codestream_marker_is_ignored()
    {
        // Odd-length codestreams are padded to even length; some writers pad further, with zeros.
        var fragments = (await CodestreamsAsync()).Select(c => new[] { (byte[])[.. c, 0, 0, 0, 0, 0, 0] }).ToArray();

        AssertFrames(Compose(fragments, Table.Basic, pixelData => pixelData.Write(SequenceDelimiter)));
    }

    private static void AssertFrames(DicomFile file)
    {
        var pixelData = DicomPixelData.Create(file);
        Assert.Equal(Frames, pixelData.NumberOfFrames);
        for (var f = 0; f < Frames; f++)
        {
            var expected = Enumerable.Range(0, Rows * Columns).Select(i => (float)Value(f, i / Columns, i % Columns)).ToArray();
            Assert.Equal(expected, DicomImageDecoder.Decode(file, pixelData, f).Pixels);
        }
    }

    private static byte[][] Split(byte[] codestream, int parts)
    {
        // Even-length pieces (PS3.5 A.4: fragments have even lengths); the last takes the rest.
        var size = (codestream.Length / parts) & ~1;
        return Enumerable.Range(0, parts).Select(p => p < parts - 1 ? codestream[(p * size)..((p + 1) * size)] : codestream[(p * size)..]).ToArray();
    }

    /// <summary>A 3-frame JPEG 2000 file whose pixel data holds <paramref name="fragments"/> (per frame) and then whatever <paramref name="ending"/> writes.</summary>
    private static DicomFile Compose(byte[][][] fragments, Table table, Action<MemoryStream> ending)
    {
        var dataset = Dataset();
        var pieces = fragments.SelectMany(f => f).Select(Even).ToArray();
        var frameOffsets = new List<ulong>();
        var at = 0UL;
        foreach (var frame in fragments)
        {
            frameOffsets.Add(at);
            at += frame.Select(Even).Aggregate(0UL, (sum, piece) => sum + 8 + (ulong)piece.Length);
        }

        if (table == Table.Extended)
        {
            dataset.Set(DicomElementFactory.Bytes(DicomTags.ExtendedOffsetTable, DicomVR.OV, UInt64s(frameOffsets)));
            dataset.Set(DicomElementFactory.Bytes(DicomTags.ExtendedOffsetTableLengths, DicomVR.OV, UInt64s(fragments.Select(f => (ulong)f.Sum(p => p.Length)))));
        }

        // Everything before Pixel Data comes from our writer; Pixel Data is last in the dataset.
        var prefix = DicomWriter.WriteEncapsulated(dataset, DicomTransferSyntax.Jpeg2000Lossless, [[0]]);
        var start = prefix.AsSpan().IndexOf((byte[])[0xE0, 0x7F, 0x10, 0x00, (byte)'O', (byte)'B']);
        using var output = new MemoryStream();
        output.Write(prefix, 0, start);
        output.Write([0xE0, 0x7F, 0x10, 0x00, (byte)'O', (byte)'B', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]);
        var basic = table == Table.Basic ? frameOffsets.SelectMany(o => BitConverter.GetBytes((uint)o)).ToArray() : [];
        Item(output, basic);
        foreach (var piece in pieces)
        {
            Item(output, piece);
        }

        ending(output);
        return DicomFile.Parse(output.ToArray());
    }

    private static byte[] Even(byte[] piece) => piece.Length % 2 == 0 ? piece : [.. piece, 0];

    private static void Item(MemoryStream output, byte[] payload)
    {
        output.Write([0xFE, 0xFF, 0x00, 0xE0]);
        output.Write(BitConverter.GetBytes((uint)payload.Length));
        output.Write(payload);
    }

    private static byte[] UInt64s(IEnumerable<ulong> values) => values.SelectMany(v =>
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, v);
        return bytes;
    }).ToArray();

    private static DicomDataset Dataset() => SyntheticDicom.Grayscale(Rows, Columns, 8, 8, false, Value, frames: Frames);

    /// <summary>One lossless JPEG 2000 codestream per frame, encoded by gdcm from single-frame files.</summary>
    private async Task<byte[][]> CodestreamsAsync()
    {
        var codestreams = new byte[Frames][];
        for (var f = 0; f < Frames; f++)
        {
            var frame = f;
            var source = _folder.File($"frame{f}.dcm");
            var encoded = _folder.File($"frame{f}.j2k.dcm");
            await File.WriteAllBytesAsync(source, DicomWriter.Write(SyntheticDicom.Grayscale(Rows, Columns, 8, 8, false, (_, r, c) => Value(frame, r, c)), DicomTransferSyntax.ExplicitVRLittleEndian));
            await ExternalTool.RunAsync("gdcmconv", "--j2k", source, encoded);
            var fragments = DicomFile.Parse(await File.ReadAllBytesAsync(encoded)).Dataset.Get(DicomTags.PixelData)!.Fragments!.Fragments;
            codestreams[f] = Assert.Single(fragments).ToArray();
            if (codestreams[f] is [.., 0] && codestreams[f][^3..^1] is [0xFF, 0xD9])
            {
                codestreams[f] = codestreams[f][..^1];
            }
        }

        return codestreams;
    }

    public void Dispose() => _folder.Dispose();
}
