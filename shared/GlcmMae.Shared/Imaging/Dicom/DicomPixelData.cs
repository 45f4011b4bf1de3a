using System.Buffers.Binary;
using GlcmMae.Shared.Imaging.Dicom.Codecs;

namespace GlcmMae.Shared.Imaging.Dicom;

/// <summary>The Image Pixel module of a dataset (PS3.3 C.7.6.3) and access to each frame's pixel bytes.</summary>
/// <remarks>
/// Frames come out normalised: little endian, samples interleaved (planar configuration 0), and 1-bit data
/// unpacked to one byte per pixel. Everything that follows (LUTs, colour conversion) only deals with that layout.
/// </remarks>
public sealed class DicomPixelData
{
    private readonly DicomElement _pixelElement;
    private readonly DicomDataset _dataset;

    private DicomPixelData(DicomDataset dataset, DicomElement pixelElement, DicomTransferSyntax transferSyntax)
    {
        _dataset = dataset;
        _pixelElement = pixelElement;
        TransferSyntax = transferSyntax;
    }

    /// <summary>Rows (image height).</summary>
    public int Rows { get; private set; }

    /// <summary>Columns (image width).</summary>
    public int Columns { get; private set; }

    /// <summary>Samples per pixel: 1 (grayscale, palette) or 3 (colour).</summary>
    public int SamplesPerPixel { get; private init; }

    /// <summary>Bits allocated per sample as stored: 1, 8, 16 or 32.</summary>
    public int BitsAllocated { get; private init; }

    /// <summary>Bits of each sample that carry the value.</summary>
    public int BitsStored { get; private init; }

    /// <summary>Most significant bit of the value within the allocated bits.</summary>
    public int HighBit { get; private init; }

    /// <summary>True for two's complement samples (PixelRepresentation 1).</summary>
    public bool IsSigned { get; private init; }

    /// <summary>0: samples interleaved; 1: one colour plane after another (as stored).</summary>
    public int PlanarConfiguration { get; private init; }

    /// <summary>Photometric interpretation, e.g. MONOCHROME2, RGB, YBR_FULL_422, PALETTE COLOR.</summary>
    public string PhotometricInterpretation { get; private init; } = "MONOCHROME2";

    /// <summary>Number of frames (1 when the attribute is absent).</summary>
    public int NumberOfFrames { get; private init; }

    /// <summary>Threads a JPEG 2000 frame may decode on (<see cref="DicomReaderOptions.DecoderThreads"/>).</summary>
    internal int DecoderThreads { get; private init; }

    /// <summary>Longest a frame whose decoder runs under a deadline may take (<see cref="DicomReaderOptions.DecodeTimeoutMilliseconds"/>).</summary>
    internal TimeSpan DecodeTimeout { get; private init; }

    /// <summary>The transfer syntax the pixel data is encoded in.</summary>
    public DicomTransferSyntax TransferSyntax { get; }

    /// <summary>Resolution levels a JPEG 2000 frame's decode leaves out (<see cref="ReducedFor"/>); <see cref="Rows"/> and <see cref="Columns"/> are then the reduced size.</summary>
    internal int ResolutionReduction { get; private set; }

    /// <summary>Rows as the dataset declares them, whatever the reduction.</summary>
    internal int FullRows { get; private init; }

    /// <summary>Columns as the dataset declares them, whatever the reduction.</summary>
    internal int FullColumns { get; private init; }

    /// <summary>Bytes per sample in the normalised frames (1 for 1- and 8-bit data).</summary>
    public int BytesPerSample => BitsAllocated <= 8 ? 1 : BitsAllocated / 8;

    /// <summary>Length of one normalised frame in bytes.</summary>
    public int FrameLength => checked(Rows * Columns * SamplesPerPixel * BytesPerSample);

    /// <summary>True for YBR_FULL_422 native data, which stores two luma samples per chroma pair.</summary>
    internal bool IsNativeYbr422 => !TransferSyntax.IsEncapsulated && PhotometricInterpretation == "YBR_FULL_422";

    /// <summary>Reads the Image Pixel module of a file and validates it against the limits.</summary>
    public static DicomPixelData Create(DicomFile file, DicomReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        options ??= DicomReaderOptions.Default;
        var dataset = file.Dataset;
        var element = dataset.Get(DicomTags.PixelData)
            ?? throw new DicomFormatException(-1, file.PixelDataSkipped
                ? "pixel data was not read (the file was opened metadata-only)"
                : "the dataset has no Pixel Data (7FE0,0010); it is not an image");

        var rows = Required(dataset, DicomTags.Rows, "Rows");
        var columns = Required(dataset, DicomTags.Columns, "Columns");
        var bitsAllocated = Required(dataset, DicomTags.BitsAllocated, "BitsAllocated");
        var samples = dataset.GetInt32(DicomTags.SamplesPerPixel) ?? 1;
        var bitsStored = dataset.GetInt32(DicomTags.BitsStored) ?? bitsAllocated;
        var highBit = dataset.GetInt32(DicomTags.HighBit) ?? bitsStored - 1;
        var frames = dataset.GetInt32(DicomTags.NumberOfFrames) is { } n && n > 0 ? n : 1;
        var photometric = dataset.GetString(DicomTags.PhotometricInterpretation)?.Trim().ToUpperInvariant()
            ?? (samples == 3 ? "RGB" : "MONOCHROME2");

        if (rows > options.MaxDimension || columns > options.MaxDimension)
        {
            throw new ImageTooLargeException($"The image is {columns}x{rows}; the limit is {options.MaxDimension} per side (Imaging:Dicom:MaxDimension).");
        }

        if (frames > options.MaxFrames)
        {
            throw new ImageTooLargeException($"The file has {frames} frames; the limit is {options.MaxFrames} (Imaging:Dicom:MaxFrames).");
        }

        if (bitsAllocated is not (1 or 8 or 16 or 32))
        {
            throw new DicomFormatException(-1, $"BitsAllocated {bitsAllocated} is not supported (1, 8, 16 or 32)");
        }

        if (samples is not (1 or 3))
        {
            throw new DicomFormatException(-1, $"SamplesPerPixel {samples} is not supported (1 or 3)");
        }

        if (bitsStored < 1 || bitsStored > bitsAllocated || highBit < bitsStored - 1 || highBit >= bitsAllocated)
        {
            throw new DicomFormatException(-1, $"BitsStored {bitsStored} / HighBit {highBit} do not fit BitsAllocated {bitsAllocated}");
        }

        var pixelData = new DicomPixelData(dataset, element, file.TransferSyntax)
        {
            Rows = rows,
            Columns = columns,
            FullRows = rows,
            FullColumns = columns,
            SamplesPerPixel = samples,
            BitsAllocated = bitsAllocated,
            BitsStored = bitsStored,
            HighBit = highBit,
            IsSigned = dataset.GetInt32(DicomTags.PixelRepresentation) == 1,
            PlanarConfiguration = samples == 3 ? dataset.GetInt32(DicomTags.PlanarConfiguration) ?? 0 : 0,
            PhotometricInterpretation = photometric,
            NumberOfFrames = frames,
            DecoderThreads = options.DecoderThreads,
            DecodeTimeout = TimeSpan.FromMilliseconds(options.DecodeTimeoutMilliseconds),
        };

        if ((long)pixelData.FrameLength * frames > options.MaxPixelBytes)
        {
            throw new ImageTooLargeException($"The pixel data decodes to {(long)pixelData.FrameLength * frames} bytes; the limit is {options.MaxPixelBytes} (Imaging:Dicom:MaxPixelBytes).");
        }

        if (!file.TransferSyntax.IsEncapsulated && element.Fragments is null)
        {
            var needed = pixelData.StoredFrameLength * frames;
            if (element.Value.Length < needed)
            {
                throw new DicomFormatException(element.Offset, $"native pixel data holds {element.Value.Length} bytes but {frames} frame(s) of {columns}x{rows}x{samples} at {bitsAllocated} bits need {needed}");
            }
        }
        else if (element.Fragments is null)
        {
            throw new DicomFormatException(element.Offset, $"transfer syntax {file.TransferSyntax.Name} needs encapsulated pixel data but the element has a defined length");
        }

        return pixelData;
    }

    /// <summary>
    /// The module for decoding frame <paramref name="index"/> at the smallest resolution whose shorter side is at least
    /// <paramref name="minimumShorterSide"/>: JPEG 2000 and HTJ2K frames can leave out their finest wavelet levels
    /// (decoding a quarter of the samples per level); every other syntax, or 0, decodes in full and returns this module.
    /// </summary>
    /// <remarks>
    /// The reduced frame is the codestream's low-pass band at that level, which differs from a resize of the full frame:
    /// training and serving must both decode this way, so it is a preprocessing setting
    /// (<see cref="Preprocessing.PreprocessingSpec.DecodeResolution"/>), never a serving optimisation alone.
    /// </remarks>
    public DicomPixelData ReducedFor(int index, int minimumShorterSide)
    {
        if (minimumShorterSide <= 0 || !TransferSyntax.DecodesAtReducedResolution || _pixelElement.Fragments is not { } fragments)
        {
            return this;
        }

        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, NumberOfFrames);
        var header = Jpeg2000Header.Read(EncapsulatedFrames.GetFrame(fragments, _dataset, NumberOfFrames, index, TransferSyntax).Span);
        header.RequireMatches(this);
        var reduction = header.ReductionFor(minimumShorterSide);
        if (reduction == 0)
        {
            return this;
        }

        // A copy that differs only in the frame size and the reduction, so that no setting can be left behind.
        var reduced = (DicomPixelData)MemberwiseClone();
        (reduced.Columns, reduced.Rows) = header.ReducedSize(reduction);
        reduced.ResolutionReduction = reduction;
        return reduced;
    }

    /// <summary>Returns frame <paramref name="index"/> normalised (little endian, interleaved, 1 byte per 1-bit pixel).</summary>
    public byte[] GetFrame(int index) => GetFrameMemory(index).ToArray();

    /// <summary>Like <see cref="GetFrame"/>, but native little-endian interleaved frames come back as a slice of the file, without a copy.</summary>
    public ReadOnlyMemory<byte> GetFrameMemory(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, NumberOfFrames);
        if (_pixelElement.Fragments is { } fragments)
        {
            var compressed = EncapsulatedFrames.GetFrame(fragments, _dataset, NumberOfFrames, index, TransferSyntax);
            return DicomCodecs.Decode(TransferSyntax, compressed, this);
        }

        if (BitsAllocated > 1 && !IsNativeYbr422 && !_pixelElement.IsBigEndian && (SamplesPerPixel == 1 || PlanarConfiguration == 0))
        {
            return _pixelElement.Value.Slice((int)(StoredFrameLength * index), FrameLength);
        }

        return NormaliseNative(index);
    }

    /// <summary>Bytes of one frame as stored natively (1-bit frames are not byte aligned; YBR_FULL_422 is subsampled).</summary>
    private long StoredFrameLength
    {
        get
        {
            long pixels = (long)Rows * Columns;
            if (BitsAllocated == 1)
            {
                return (pixels * SamplesPerPixel + 7) / 8;
            }

            return IsNativeYbr422 ? pixels * 2 * BytesPerSample : pixels * SamplesPerPixel * BytesPerSample;
        }
    }

    private byte[] NormaliseNative(int index)
    {
        var value = _pixelElement.Value.Span;
        var pixels = Rows * Columns;
        var output = new byte[FrameLength];
        if (BitsAllocated == 1)
        {
            // Bits are packed across frames without padding (PS3.5 8.1.1), least significant bit first.
            var firstBit = (long)index * pixels * SamplesPerPixel;
            for (var i = 0; i < output.Length; i++)
            {
                var bit = firstBit + i;
                output[i] = (byte)((value[(int)(bit >> 3)] >> (int)(bit & 7)) & 1);
            }

            return output;
        }

        var stored = value.Slice((int)(StoredFrameLength * index), (int)StoredFrameLength);
        if (IsNativeYbr422)
        {
            YbrConversion.Expand422(stored, output, Rows, Columns);
            return output;
        }

        if (SamplesPerPixel == 3 && PlanarConfiguration == 1)
        {
            var plane = pixels * BytesPerSample;
            for (var p = 0; p < pixels; p++)
            {
                for (var s = 0; s < 3; s++)
                {
                    stored.Slice((s * plane) + (p * BytesPerSample), BytesPerSample)
                        .CopyTo(output.AsSpan(((p * 3) + s) * BytesPerSample, BytesPerSample));
                }
            }
        }
        else
        {
            stored.CopyTo(output);
        }

        if (_pixelElement.IsBigEndian && BytesPerSample > 1)
        {
            SwapToLittleEndian(output, BytesPerSample);
        }

        return output;
    }

    private static void SwapToLittleEndian(Span<byte> data, int size)
    {
        if (size == 2)
        {
            var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(data);
            BinaryPrimitives.ReverseEndianness(words, words);
        }
        else
        {
            var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(data);
            BinaryPrimitives.ReverseEndianness(words, words);
        }
    }

    private static int Required(DicomDataset dataset, DicomTag tag, string name) =>
        dataset.GetInt32(tag) is { } value && value > 0
            ? value
            : throw new DicomFormatException(-1, $"{name} {tag} is missing or not positive");
}
