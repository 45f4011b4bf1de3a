using System.Buffers.Binary;

namespace GlcmMae.Shared.Imaging.Dicom.Codecs;

/// <summary>
/// The image and tile geometry of a JPEG 2000 or HTJ2K codestream, read from its SIZ marker segment (ISO/IEC 15444-1
/// A.5.1) without a decoder, so that a frame is checked against its dataset before any decoder allocates for it.
/// </summary>
/// <remarks>
/// SIZ must directly follow SOC, so the check costs a few dozen bytes. A JP2 wrapper (which DICOM forbids but some
/// writers add) is skipped to its contiguous codestream box.
/// </remarks>
/// <param name="Width">Image width on the reference grid: Xsiz - XOsiz.</param>
/// <param name="Height">Image height: Ysiz - YOsiz.</param>
/// <param name="Tiles">Number of tiles the grid is cut into.</param>
/// <param name="Components">Per component: precision in bits and subsampling.</param>
/// <param name="OriginX">XOsiz: where the image starts on the reference grid, which decides the size of reduced resolutions.</param>
/// <param name="OriginY">YOsiz.</param>
/// <param name="DecompositionLevels">
/// The fewest wavelet decomposition levels any component of any tile has (COD and COC segments of the main and
/// tile-part headers): how many resolution levels can be left out when decoding. 0 when none is found.
/// </param>
internal sealed record Jpeg2000Header(long Width, long Height, long Tiles, IReadOnlyList<Jpeg2000Component> Components, long OriginX = 0, long OriginY = 0, int DecompositionLevels = 0)
{
    /// <summary>Most tiles accepted in one frame: a 16384 x 16384 image cut into 256 x 256 tiles. A decoder keeps state per tile, so a damaged SIZ that claims millions of tiles is refused before it is decoded.</summary>
    public const long MaxTiles = 4096;

    /// <summary>Reads SOC and SIZ; throws <see cref="DicomFormatException"/> when they are missing or inconsistent.</summary>
    public static Jpeg2000Header Read(ReadOnlySpan<byte> frame)
    {
        var codestream = Codestream(frame);
        if (codestream.Length < 4 || codestream[0] != 0xFF || codestream[1] != 0x4F || codestream[2] != 0xFF || codestream[3] != 0x51)
        {
            throw Malformed("it does not begin with the SOC and SIZ markers");
        }

        // Lsiz(2) Rsiz(2) Xsiz Ysiz XOsiz YOsiz XTsiz YTsiz XTOsiz YTOsiz (4 each) Csiz(2), then 3 bytes per component.
        const int fixedLength = 38;
        if (codestream.Length < 4 + fixedLength)
        {
            throw Malformed("its SIZ marker segment is truncated");
        }

        var siz = codestream[4..];
        var length = BinaryPrimitives.ReadUInt16BigEndian(siz);
        var xsiz = BinaryPrimitives.ReadUInt32BigEndian(siz[4..]);
        var ysiz = BinaryPrimitives.ReadUInt32BigEndian(siz[8..]);
        var xosiz = BinaryPrimitives.ReadUInt32BigEndian(siz[12..]);
        var yosiz = BinaryPrimitives.ReadUInt32BigEndian(siz[16..]);
        var xtsiz = BinaryPrimitives.ReadUInt32BigEndian(siz[20..]);
        var ytsiz = BinaryPrimitives.ReadUInt32BigEndian(siz[24..]);
        var xtosiz = BinaryPrimitives.ReadUInt32BigEndian(siz[28..]);
        var ytosiz = BinaryPrimitives.ReadUInt32BigEndian(siz[32..]);
        var csiz = BinaryPrimitives.ReadUInt16BigEndian(siz[36..]);
        if (csiz == 0 || length != fixedLength + (3 * csiz) || siz.Length < length)
        {
            throw Malformed($"its SIZ marker segment ({length} bytes for {csiz} components) is inconsistent or truncated");
        }

        // A.5.1: the tile grid's origin lies at or before the image's, and the first tile overlaps the image.
        if (xsiz <= xosiz || ysiz <= yosiz || xtsiz == 0 || ytsiz == 0 || xtosiz > xosiz || ytosiz > yosiz
            || (long)xtsiz + xtosiz <= xosiz || (long)ytsiz + ytosiz <= yosiz)
        {
            throw Malformed($"its SIZ grid is invalid (size {xsiz}x{ysiz}, image offset {xosiz},{yosiz}, tiles {xtsiz}x{ytsiz} at {xtosiz},{ytosiz})");
        }

        var tilesAcross = ((long)xsiz - xtosiz + xtsiz - 1) / xtsiz;
        var tilesDown = ((long)ysiz - ytosiz + ytsiz - 1) / ytsiz;
        var components = new Jpeg2000Component[csiz];
        for (var c = 0; c < csiz; c++)
        {
            var ssiz = siz[38 + (3 * c)];
            var dx = siz[39 + (3 * c)];
            var dy = siz[40 + (3 * c)];
            var precision = (ssiz & 0x7F) + 1;
            if (precision > 38 || dx == 0 || dy == 0)
            {
                throw Malformed($"component {c} declares {precision} bits with subsampling {dx}x{dy}");
            }

            components[c] = new Jpeg2000Component(precision, dx, dy);
        }

        var levels = MinimumDecompositionLevels(codestream, 4 + length, csiz);
        return new Jpeg2000Header((long)xsiz - xosiz, (long)ysiz - yosiz, tilesAcross * tilesDown, components, xosiz, yosiz, levels);
    }

    /// <summary>The image's size when <paramref name="reduction"/> resolution levels are left out (ISO/IEC 15444-1 B.5: ceil(x / 2^r) at each edge).</summary>
    public (int Width, int Height) ReducedSize(int reduction)
    {
        long Edge(long x) => (x + (1L << reduction) - 1) >> reduction;
        return ((int)(Edge(OriginX + Width) - Edge(OriginX)), (int)(Edge(OriginY + Height) - Edge(OriginY)));
    }

    /// <summary>
    /// The most resolution levels that can be left out while the shorter side stays at least
    /// <paramref name="minimumShorterSide"/>: the smallest decode that is still large enough; 0 for a full decode.
    /// </summary>
    public int ReductionFor(int minimumShorterSide)
    {
        var reduction = 0;
        while (reduction < DecompositionLevels && Math.Min(ReducedSize(reduction + 1).Width, ReducedSize(reduction + 1).Height) >= minimumShorterSide)
        {
            reduction++;
        }

        return reduction;
    }

    // Walks the main header and every tile-part header (A.4.2: SOT's Psot gives the tile-part's length) for COD and COC
    // segments, whose SPcod/SPcoc begin with the number of decomposition levels (A.6.1, A.6.2). Reading stops quietly
    // at anything malformed: the decoder reports damage, and a reduction is only chosen from levels actually seen.
    private static int MinimumDecompositionLevels(ReadOnlySpan<byte> codestream, int at, int components)
    {
        var levels = int.MaxValue;
        while (at + 4 <= codestream.Length && codestream[at] == 0xFF)
        {
            var marker = codestream[at + 1];
            if (marker is 0xD9 or 0x93)
            {
                break;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(codestream[(at + 2)..]);
            if (length < 2 || at + 2 + length > codestream.Length)
            {
                break;
            }

            var body = codestream.Slice(at + 4, length - 2);
            levels = Math.Min(levels, LevelsIn(marker, body, components));
            if (marker == 0x90 && body.Length >= 8)
            {
                // SOT: the tile-part header runs to SOD; the next tile-part starts Psot bytes after this SOT (0: the last).
                var tilePartLength = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
                var header = at + 2 + length;
                levels = Math.Min(levels, MinimumInTilePartHeader(codestream, header, components));
                if (tilePartLength == 0 || tilePartLength > codestream.Length - at)
                {
                    break;
                }

                at += (int)tilePartLength;
                continue;
            }

            at += 2 + length;
        }

        return levels == int.MaxValue ? 0 : levels;
    }

    private static int MinimumInTilePartHeader(ReadOnlySpan<byte> codestream, int at, int components)
    {
        var levels = int.MaxValue;
        while (at + 4 <= codestream.Length && codestream[at] == 0xFF && codestream[at + 1] != 0x93)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(codestream[(at + 2)..]);
            if (length < 2 || at + 2 + length > codestream.Length)
            {
                break;
            }

            levels = Math.Min(levels, LevelsIn(codestream[at + 1], codestream.Slice(at + 4, length - 2), components));
            at += 2 + length;
        }

        return levels;
    }

    // The decomposition levels a COD or COC segment sets (its SPcod/SPcoc begins with them); int.MaxValue for others.
    private static int LevelsIn(byte marker, ReadOnlySpan<byte> body, int components)
    {
        // COD: Scod(1), SGcod(4), SPcod. COC: Ccoc (1 byte, 2 with 257 or more components), Scoc(1), SPcoc.
        var offset = marker switch
        {
            0x52 => 5,
            0x53 => components < 257 ? 2 : 3,
            _ => -1,
        };
        return offset >= 0 && body.Length > offset ? body[offset] : int.MaxValue;
    }

    /// <summary>Throws <see cref="DicomFormatException"/> unless the codestream describes the frame the dataset declares.</summary>
    public void RequireMatches(DicomPixelData pixelData)
    {
        ArgumentNullException.ThrowIfNull(pixelData);
        if (Width != pixelData.FullColumns || Height != pixelData.FullRows)
        {
            throw new DicomFormatException(-1, $"the JPEG 2000 codestream is {Width}x{Height} but the dataset says {pixelData.FullColumns}x{pixelData.FullRows}");
        }

        // One component per sample; a fourth (alpha) is tolerated and ignored, anything more is not an image DICOM describes.
        if (Components.Count < pixelData.SamplesPerPixel || Components.Count > 4)
        {
            throw new DicomFormatException(-1, $"the JPEG 2000 codestream has {Components.Count} component(s) but the dataset says {pixelData.SamplesPerPixel} sample(s) per pixel");
        }

        for (var c = 0; c < pixelData.SamplesPerPixel; c++)
        {
            var component = Components[c];
            if (component.Dx != 1 || component.Dy != 1 || component.Precision > pixelData.BitsAllocated)
            {
                throw new DicomFormatException(-1, $"JPEG 2000 component {c} has {component.Precision} bits subsampled {component.Dx}x{component.Dy}; the dataset allocates {pixelData.BitsAllocated} bits to full-size samples");
            }
        }

        if (Tiles > MaxTiles)
        {
            throw new DicomFormatException(-1, $"the JPEG 2000 codestream is cut into {Tiles} tiles; at most {MaxTiles} are accepted");
        }
    }

    /// <summary>True for a JP2 file (its signature box), which wraps the codestream; DICOM frames should be bare codestreams.</summary>
    public static bool IsJp2(ReadOnlySpan<byte> frame) => frame.Length >= 12 && frame.Slice(4, 4).SequenceEqual("jP  "u8);

    private static ReadOnlySpan<byte> Codestream(ReadOnlySpan<byte> frame)
    {
        if (!IsJp2(frame))
        {
            return frame;
        }

        // JP2 (ISO/IEC 15444-1 I.4): boxes of LBox(4) TBox(4) [XLBox(8)] payload; the codestream is the jp2c box.
        var at = 0L;
        while (at + 8 <= frame.Length)
        {
            var boxLength = (long)BinaryPrimitives.ReadUInt32BigEndian(frame[(int)at..]);
            var type = frame.Slice((int)at + 4, 4);
            var header = 8L;
            if (boxLength == 1)
            {
                if (at + 16 > frame.Length)
                {
                    break;
                }

                boxLength = (long)Math.Min(BinaryPrimitives.ReadUInt64BigEndian(frame[((int)at + 8)..]), long.MaxValue);
                header = 16;
            }
            else if (boxLength == 0)
            {
                boxLength = frame.Length - at;
            }

            if (type.SequenceEqual("jp2c"u8))
            {
                return frame[(int)(at + header)..];
            }

            if (boxLength < header || boxLength > frame.Length - at)
            {
                break;
            }

            at += boxLength;
        }

        throw Malformed("its JP2 wrapper has no contiguous codestream box");
    }

    private static DicomFormatException Malformed(string why) => new(-1, $"the JPEG 2000 frame is damaged: {why}");
}
